"""The guild's rules and the numbers pages draw: pandas frames in, pandas frames out; no Streamlit."""

#: The environment variable naming the guild's standards file the dashboard judges by.
STANDARDS_ENV = "GUILDBOARD_STANDARDS"
