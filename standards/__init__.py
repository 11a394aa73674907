"""The guild's rules and the numbers pages draw: pandas frames in, pandas frames out; no Streamlit."""
