"""The Build health page through Streamlit's AppTest: on a GitHub snapshot with build health
(exact values), on the local demo organisation (no build health), and on an empty database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import STANDARDS_ENV
from store import DB_ENV
from tests.dashboard_app import dashboard, demo_site, empty_dashboard, open_page  # noqa: F401 (fixtures)
from tests.test_standards_build_view import SHA, github_snapshot


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The GitHub organisation of the build-view tests, and no standards file."""
    url, _ = github_snapshot(tmp_path)
    monkeypatch.setenv(DB_ENV, url)
    monkeypatch.delenv(STANDARDS_ENV, raising=False)
    return url


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def tables(at: AppTest) -> dict[str, object]:
    """The page's tables: "red" (red the longest, when any is red) and "repos" come in that order
    with the repository columns; "workflows" and "actions" have their own."""
    frames = [d.value for d in at.dataframe]
    out = {}
    with_state = [f for f in frames if "state" in f.columns]
    if with_state:
        out["repos"] = with_state[-1]
    if len(with_state) == 2:
        out["red"] = with_state[0]
    for name, column in (("workflows", "workflow"), ("actions", "action")):
        for frame in frames:
            if column in frame.columns:
                out[name] = frame
    return out


def chart(at: AppTest, n: int) -> dict:
    return json.loads(at.get("plotly_chart")[n].proto.spec)


def test_the_page_shows_each_default_branch_by_team_and_state(github: str) -> None:
    at = open_page("build_health")
    assert not at.exception
    assert metrics(at) == {"Builds known": "5 of 6", "Green": "2", "Pending": "1", "Red": "1", "Unknown": "2"}
    states = chart(at, 0)
    assert states["layout"]["title"]["text"] == "Default-branch build per team"
    assert [t["name"] for t in states["data"]] == ["green", "pending", "red", "unknown"]
    assert states["data"][2]["text"] == ["red 1", "", ""]  # payments (most red) on top
    t = tables(at)
    repos = t["repos"]
    assert repos["repo"].tolist() == [
        "acme/pay-api", "web/search-ui", "acme/docs-site", "acme/infra", "acme/pay-worker", "acme/search-idx",
    ]  # fmt: skip
    pay = repos.iloc[0]
    assert (pay["state"], pay["success_rate"], pay["median_min"], pay["days_since_green"]) == ("red", 0.75, 5.0, 14)
    assert pay["page"] == "repository?repo=acme/pay-api&snapshot=1"
    assert t["red"]["repo"].tolist() == ["acme/pay-api"]  # red the longest
    assert len(t["workflows"]) == 5
    actions = t["actions"].set_index(["action", "ref"])
    assert actions.loc[("actions/checkout", SHA), "sha"]
    assert actions.loc[("actions/setup-node", "main"), "pinned"] == "branch"
    assert "1 of 7 uses pinned to a commit sha" in " ".join(c.value for c in at.caption)
    providers = chart(at, 1)
    assert providers["layout"]["title"]["text"] == "CI providers per team"
    assert providers["data"][0]["x"] == ["github-actions", "circleci", "gitlab-ci", "jenkins", "(no CI file)"]


def test_a_deep_link_restores_the_team_and_state(github: str) -> None:
    at = open_page("build_health", {"build_health_team": "search", "build_health_state": "pending"})
    assert not at.exception
    assert at.selectbox(key="build_health_team").value == "search"
    assert at.selectbox(key="build_health_state").value == "pending"
    t = tables(at)
    assert t["repos"][["repo", "reason", "days_since_green"]].values.tolist() == [
        ["web/search-ui", "1 of 2 still running on c0ffee0", 1]
    ]
    assert t["workflows"]["repo"].tolist() == ["web/search-ui"]  # the workflows of those repositories only


def test_a_click_on_a_team_segment_lists_the_repositories_in_that_state(github: str) -> None:
    click = {"selection": {"points": [{"x": 2, "y": "platform", "customdata": ["platform", "unknown"]}]}}
    at = open_page("build_health", state={"build_health_states_chart_0": click})
    assert not at.exception
    assert (at.selectbox(key="build_health_team").value, at.selectbox(key="build_health_state").value) == (
        "platform",
        "unknown",
    )
    assert tables(at)["repos"]["repo"].tolist() == ["acme/docs-site", "acme/infra"]


def test_picking_a_state_lists_every_team_in_it(github: str) -> None:
    at = open_page("build_health")
    at.selectbox(key="build_health_state").select("green").run()
    assert not at.exception
    assert tables(at)["repos"]["repo"].tolist() == ["acme/pay-worker", "acme/search-idx"]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"team": ["search"]}, {"Builds known": "2 of 2", "Green": "1", "Pending": "1", "Red": "0", "Unknown": "0"}),
        ({"archived": "true"}, {"Builds known": "6 of 7", "Green": "2", "Pending": "1", "Red": "2", "Unknown": "2"}),
        ({"lang": ["Python"]}, {"Builds known": "2 of 2", "Green": "1", "Pending": "0", "Red": "1", "Unknown": "0"}),
    ],
)
def test_the_sidebar_filters_change_the_counts(github: str, query: dict, shown: dict) -> None:
    at = open_page("build_health", query)
    assert not at.exception
    assert metrics(at) == shown


@pytest.mark.usefixtures("dashboard")
def test_a_local_snapshot_says_where_build_health_comes_from_and_still_shows_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for standards in (True, False):
        if not standards:
            monkeypatch.delenv(STANDARDS_ENV)
        at = open_page("build_health")
        assert not at.exception
        assert "No build health in this snapshot" in at.info[0].value
        assert "guildboard collect github ORG" in at.code[0].value
        assert not at.metric  # no state counts to show
        t = tables(at)
        assert set(t) == {"actions"}
        assert len(t["actions"]) > 0
        assert [chart(at, 0)["layout"]["title"]["text"]] == ["CI providers per team"]


@pytest.mark.usefixtures("empty_dashboard")
def test_an_empty_database_shows_the_empty_state() -> None:
    at = open_page("build_health")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.metric
