"""Running the dashboard's pages through Streamlit's AppTest on a real demo database.

`demo_site` builds a small demo organisation once per test session with the real `guildboard demo`
(24 repositories, 4 teams, 3 snapshots) and the example standards file; `dashboard` points the
app at it for one test. `open_page("teams", {"team": ["payments"]})` runs `app.py` on that page
with those query parameters (a deep link) and returns the AppTest to look into.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import STANDARDS_ENV
from store import DB_ENV, open_store

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
STANDARDS = ROOT / "data" / "standards.example.yaml"
TIMEOUT = 60  # the first run imports plotly and pandas and evaluates the standards

#: Every page of the dashboard: the file under `pages/` (without `.py`).
PAGES = (
    "overview",
    "teams",
    "technologies",
    "versions",
    "languages",
    "build_health",
    "trends",
    "repository",
    "standards",
    "meeting",
)


@dataclass(frozen=True)
class DemoSite:
    db_url: str
    standards: Path
    root: Path  # where the demo repositories were built


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    work = tmp_path_factory.mktemp("dashboard-demo")
    url = f"sqlite:///{work / 'demo.db'}"
    subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", "demo", "--repos", "24", "--teams", "4", "--history", "2",
         "--root", str(work / "org"), "--db", url],
        cwd=work, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return DemoSite(db_url=url, standards=STANDARDS, root=work / "org")


@pytest.fixture
def dashboard(demo_site: DemoSite, monkeypatch: pytest.MonkeyPatch) -> DemoSite:
    """The app reads the demo database and the example standards file."""
    monkeypatch.setenv(DB_ENV, demo_site.db_url)
    monkeypatch.setenv(STANDARDS_ENV, str(demo_site.standards))
    return demo_site


@pytest.fixture
def empty_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A guildboard database with no snapshot yet (and the example standards)."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url)
    monkeypatch.setenv(DB_ENV, url)
    monkeypatch.setenv(STANDARDS_ENV, str(STANDARDS))
    return url


def open_page(
    page: str,
    query: Mapping[str, str | list[str]] | None = None,
    state: Mapping[str, object] | None = None,
) -> AppTest:
    """Run `app.py` on `pages/<page>.py` with these query parameters and session state."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(f"pages/{page}.py")
    return at.run()


def rerun(at: AppTest) -> AppTest:
    """Run the same page again (after setting a widget or a query parameter)."""
    return at.run()


def click(at: AppTest, chart_key: str, customdata: list | str) -> AppTest:
    """Run the page again as the browser does after a click on a chart's point: the chart's selection
    (`on_select="rerun"`) names the point clicked, with its `customdata`."""
    chart = next(c for c in at.get("plotly_chart") if chart_key in c.proto.id)
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    state.string_value = json.dumps(
        {"selection": {"points": [{"customdata": customdata}], "point_indices": [0], "box": [], "lasso": []}}
    )
    return at._run(states)


def table_after(at: AppTest, text: str):
    """The first table drawn after the markdown or caption that contains `text`."""
    seen = False
    for element in at.main:
        if element.type in ("markdown", "caption") and text in element.value:
            seen = True
        elif seen and element.type == "dataframe":
            return element.value
    raise AssertionError(f"no table after {text!r}")


def chart_keys(at: AppTest) -> list[str]:
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
