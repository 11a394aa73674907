"""The guildboard dashboard: `streamlit run app.py` (or `guildboard serve`).

The frame around every page: page settings, navigation, and the sidebar's snapshot picker. The
database comes from `GUILDBOARD_DB` (default `sqlite:///data/guildboard.db`); the snapshot from
the `?snapshot=<id>` query parameter, then the picker. A page is one line in `PAGES`.
"""

from __future__ import annotations

import streamlit as st

from pages import common

st.set_page_config(
    page_title="guildboard",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="expanded",
    menu_items={"About": "guildboard: how consistent your organisation's repositories are across teams."},
)

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
]

page = st.navigation(PAGES)
with common.frame():
    page.run()
