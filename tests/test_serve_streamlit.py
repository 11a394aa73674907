"""`streamlit run app.py` as a real server, driven without a browser.

The server is started the way `guildboard serve` starts it, plus `--server.enableAgentApi true`:
Streamlit's agent API (`POST /_stcore/agent/interact`) runs a session through the same rerun path
a browser's WebSocket uses and answers with the finished element tree, so these tests see the
page a browser would get (minus the JavaScript that draws it). The API is on only here.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from collectors.facts import RepoFacts
from store import DB_ENV, SnapshotMeta, open_store
from tests.streamlit_server import Server, free_port, running
from tests.test_standards_overview import org

APP = Path(__file__).resolve().parent.parent / "app.py"

pytestmark = pytest.mark.slow


class AgentServer(Server):
    """A server started with Streamlit's agent API on, so a test can render pages without a browser."""

    def interact(self, request: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(request).encode()
        req = urllib.request.Request(
            f"{self.base}/_stcore/agent/interact",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as err:  # the API answers errors with a JSON body
            return json.load(err)


@contextmanager
def serve(db_url: str, cwd: Path) -> Iterator[AgentServer]:
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.enableAgentApi", "true",
    ]  # fmt: skip
    with running(cmd, port=port, cwd=cwd, env={DB_ENV: db_url}) as server:
        yield AgentServer(server.base, server.process, server.log)


def nodes(tree: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found = [tree] if tree.get("type") == kind else []
    for child in tree.get("children", []):
        found += nodes(child, kind)
    return found


def metrics(answer: dict[str, Any]) -> dict[str, Any]:
    return {m["props"]["label"]: m["props"]["value"] for m in nodes(answer["tree"], "metric")}


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/g.db"
    store = open_store(url)
    store.write_snapshot(
        SnapshotMeta("2026-10-16T09:00:00Z", "local", "/src/acme", "2026-10 guild meeting"),
        [RepoFacts(name="first", team="payments", languages={"Python": 100})],
    )
    store.write_snapshot(SnapshotMeta("2026-11-20T14:03:00Z", "local", "/src/acme", "2026-11 guild meeting"), org())
    return url


#: The pages `app.py` offers, in its navigation's order (not the files Streamlit finds in `pages/`).
NAVIGATION = ["Overview", "Teams", "Standards", "Trends", "Meeting",
              "Technologies", "Versions", "Languages", "Build health", "Repository"]  # fmt: skip


def test_served_overview_renders_the_snapshot_the_address_names(db: str, tmp_path: Path) -> None:
    with serve(db, tmp_path) as server:
        newest = server.interact({})
        assert newest.get("status") == "ready", newest
        assert not nodes(newest["tree"], "exception")
        assert [p["title"] for p in newest["pages"]] == NAVIGATION
        assert newest["query_params"] == {"snapshot": ["2"]}
        assert metrics(newest)["Repositories"] == "6"  # 8 collected, 2 archived (left out by default)
        assert metrics(newest)["Warnings"] == 3

        linked = server.interact({"query_params": {"snapshot": ["1"]}})
        assert linked.get("status") == "ready", linked
        assert not nodes(linked["tree"], "exception")
        assert metrics(linked)["Repositories"] == "1"
        assert linked["query_params"] == {"snapshot": ["1"]}
    assert "Traceback" not in server.log.read_text()


def test_served_overview_says_what_to_run_without_a_database(tmp_path: Path) -> None:
    with serve(f"sqlite:///{tmp_path}/nothing-here.db", tmp_path) as server:
        answer = server.interact({})
    assert answer.get("status") == "ready", answer
    assert not nodes(answer["tree"], "exception")
    assert not nodes(answer["tree"], "metric")
    assert "guildboard collect local ROOT" in nodes(answer["tree"], "code")[0]["props"]["body"]
    assert "Traceback" not in server.log.read_text()


def test_a_page_address_as_the_first_request_after_a_start_still_gets_the_frame(db: str, tmp_path: Path) -> None:
    """Streamlit runs `pages/*.py` on its own until `st.navigation` has run once in the process;
    the Overview must still come with its sidebar and the snapshot the address names."""
    with serve(db, tmp_path) as server:
        first = server.interact({"page": "overview", "query_params": {"snapshot": ["1"]}})
        # `overview` is the default page (address "/"): Streamlit says so and runs it
        assert first.get("error", {}).get("code") == "unknown_page", first
        answer = server.interact({"session_id": first["session_id"]})
    assert answer.get("status") == "ready", answer
    assert [p["title"] for p in answer["pages"]] == NAVIGATION  # not app / common / overview
    assert metrics(answer)["Repositories"] == "1"
    assert nodes(answer["tree"], "sidebar")[0]["children"], "no snapshot picker"
    assert "Traceback" not in server.log.read_text()
