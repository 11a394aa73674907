"""The guildboard dashboard: `streamlit run app.py` (or `guildboard serve`).

The frame around every page: page settings, navigation, and the sidebar (snapshot, comparison,
filters; see `pages.common`). The database comes from `GUILDBOARD_DB` (default
`sqlite:///data/guildboard.db`), the standards file from `GUILDBOARD_STANDARDS`. A page is one
line in `PAGES`; its address is its file name (`/teams`, `/meeting?section=3`). With `[auth]` in
Streamlit's secrets, `pages.access.gate` comes first: only the allow-list gets further.
"""

from __future__ import annotations

import streamlit as st

from pages import access, common

st.set_page_config(
    page_title="guildboard",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="collapsed" if common.presenting() else "expanded",
    menu_items={"About": "guildboard: how consistent your organisation's repositories are across teams."},
)

PAGES = {
    "Organisation": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/teams.py", title="Teams", icon=":material/groups:"),
        st.Page("pages/standards.py", title="Standards", icon=":material/rule:"),
        st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:"),
        st.Page("pages/meeting.py", title="Meeting", icon=":material/co_present:"),
    ],
    "Technology": [
        st.Page("pages/technologies.py", title="Technologies", icon=":material/radar:"),
        st.Page("pages/versions.py", title="Versions", icon=":material/difference:"),
        st.Page("pages/languages.py", title="Languages", icon=":material/code:"),
        st.Page("pages/build_health.py", title="Build health", icon=":material/build_circle:"),
        st.Page("pages/repository.py", title="Repository", icon=":material/folder_open:"),
    ],
}

# With a login configured: the login, or a refusal, at every page's address, and nothing else.
access.gate([p.url_path for section in PAGES.values() for p in section])
page = st.navigation(PAGES)
with common.frame():
    page.run()
