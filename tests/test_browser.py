"""The dashboard in a real browser: `guildboard demo`, then `guildboard serve`, then headless Chromium.

Chromium is Debian's (`apt-get install chromium`, which `.ci/run` does), driven by Playwright with
`executable_path`; no browser is ever downloaded. Waiting follows Streamlit's own end-to-end tests:
the health endpoint, then the app's connection and script-run state. Screenshots of each view are
kept in `tests/artifacts/` to look at.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import open_store
from store.frames import load_frames
from tests.dashboard_app import STANDARDS
from tests.streamlit_server import Server, free_port, running

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no calls home on a machine without internet
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("Debian's chromium is not installed; .ci/run installs it", pytrace=False)
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GUILDBOARD_DB"}
    return subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", *args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small demo organisation with two snapshots, built and collected by the real command."""
    work = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{work / 'demo.db'}"
    cli("demo", "--repos", "24", "--teams", "4", "--history", "2", "--root", str(work / "org"), "--db", url, cwd=work)
    return url


@pytest.fixture(scope="module")
def server(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("serve")
    port = free_port()
    cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--db", demo_db, "--port", str(port),
           "--standards", str(STANDARDS)]  # fmt: skip
    with running(cmd, port=port, cwd=work, env={}) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def visitor(browser) -> Iterator[object]:
    """A page in a browser context of its own (its own cookies: a new visitor); no JavaScript errors."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        yield page
        assert errors == [], f"JavaScript errors in the page: {errors}"
    finally:
        context.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    with visitor(browser) as page:
        yield page


def wait_for_app(page, *, ready: str = "[data-testid='stMetric']") -> None:
    """Streamlit's own readiness: connected, and the script has finished its run; then `ready`."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
    page.wait_for_selector(ready, timeout=60_000)


def active_repos(url: str, snapshot_id: int) -> int:
    repos = load_frames(open_store(url, create=False), snapshot_id).repos
    return int((~repos["archived"]).sum())


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_overview_renders_with_its_charts_and_no_exception(server: Server, page, demo_db: str) -> None:
    newest = open_store(demo_db, create=False).snapshots()[0]
    page.goto(server.base)
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert metric(page, "Repositories") == str(active_repos(demo_db, newest.id))
    assert page.locator("[data-testid='stPlotlyChart']").count() >= 2
    assert page.locator("[data-testid='stPlotlyChart'] .main-svg").first.is_visible()
    assert "Overview" in page.locator("h1").first.inner_text()
    screenshot(page, "overview")


def test_deep_link_to_an_older_snapshot_shows_it(server: Server, page, demo_db: str) -> None:
    oldest = open_store(demo_db, create=False).snapshots()[-1]
    page.goto(f"{server.base}/?snapshot={oldest.id}")
    wait_for_app(page)
    assert metric(page, "Repositories") == str(active_repos(demo_db, oldest.id))
    assert f"snapshot={oldest.id}" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "overview-older-snapshot")


def test_empty_database_shows_what_to_run(browser, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url)  # a guildboard database with no snapshot yet
    port = free_port()
    cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--db", url, "--port", str(port)]
    with running(cmd, port=port, cwd=tmp_path, env={}) as srv:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            page.goto(srv.base)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
            page.wait_for_selector("text=Nothing to show yet", timeout=30_000)
            assert "guildboard collect local ROOT" in page.locator("[data-testid='stCode']").first.inner_text()
            assert page.locator("[data-testid='stException']").count() == 0
            screenshot(page, "overview-empty")
        finally:
            context.close()


#: Every page but the Overview (above), and the address that opens it with something to show.
PAGE_ADDRESSES = {
    "teams": "teams",
    "technologies": "technologies",
    "versions": "versions",
    "languages": "languages",
    "build_health": "build_health",
    "trends": "trends",
    "repository": "repository?repo=payments/payment-api",
    "standards": "standards",
    "meeting": "meeting",
}
#: Pages whose every view draws at least one chart.
CHARTED = {"teams", "technologies", "versions", "languages", "build_health", "trends"}


@pytest.mark.parametrize("name", list(PAGE_ADDRESSES))
def test_every_page_loads_draws_its_charts_and_has_no_exception(server: Server, page, name: str) -> None:
    page.goto(f"{server.base}/{PAGE_ADDRESSES[name]}")
    wait_for_app(page, ready="h1")
    assert page.locator("[data-testid='stException']").count() == 0
    if name in CHARTED:
        page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=60_000)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        assert chart.is_visible()
        assert chart.bounding_box()["height"] > 200  # drawn, not collapsed
        assert page.locator("[data-testid='stPlotlyChart'] .main-svg .gtitle").count() >= 1  # titled
    # every element drawn (no placeholder left), and the charts' transitions over, before the screenshot
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=60_000)
    page.wait_for_timeout(500)
    screenshot(page, name)


def test_a_filtered_link_keeps_its_filter_across_pages(server: Server, page) -> None:
    page.goto(f"{server.base}/?team=payments")
    wait_for_app(page)
    assert "team=payments" in page.url
    page.get_by_role("link", name="Teams").first.click()
    wait_for_app(page, ready="h1")
    page.wait_for_function("() => window.location.pathname.endsWith('/teams')", timeout=30_000)
    # the bound filter follows the page switch: the new page's run writes it back to the address
    # (after the path has changed, so wait for it rather than read the address at once)
    with contextlib.suppress(sync_api.TimeoutError):
        page.wait_for_function("() => window.location.search.includes('team=payments')", timeout=30_000)
    wait_for_app(page, ready="h1")
    assert "team=payments" in page.url
    screenshot(page, "teams-filtered")


def test_meeting_mode_steps_forward_and_back_with_its_position_in_the_address(server: Server, page) -> None:
    page.goto(f"{server.base}/meeting?present=true")
    wait_for_app(page, ready="h1")
    assert page.locator("[data-testid='stSidebar'][aria-expanded='true']").count() == 0  # sidebar collapsed
    first = page.locator("h1").first.inner_text()
    screenshot(page, "meeting-present-1")
    page.get_by_role("button", name="Next").first.click()
    page.wait_for_function("() => window.location.search.includes('section=2')", timeout=30_000)
    wait_for_app(page, ready="h1")
    second = page.locator("h1").first.inner_text()
    assert second != first
    screenshot(page, "meeting-present-2")
    page.get_by_role("button", name="Previous").first.click()
    page.wait_for_function("() => window.location.search.includes('section=1')", timeout=30_000)
    wait_for_app(page, ready="h1")
    assert page.locator("h1").first.inner_text() == first
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize(
    ("label", "reader"),
    [
        ("Spreadsheet (XLSX)", "xlsx"),
        ("Summary (Markdown)", "md"),
    ],
)
def test_the_export_menu_downloads_the_filtered_view_built_on_click(
    server: Server, page, label: str, reader: str
) -> None:
    """A button in the Overview's export menu hands over a real file of what the page shows (the
    team filter from the address), built on its own thread when clicked."""
    page.goto(f"{server.base}/?team=payments")
    wait_for_app(page)
    page.get_by_role("button", name="Export").first.click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=label).first.click()
    saved = download.value
    assert saved.failure() is None
    path = Path(saved.path())
    assert saved.suggested_filename.startswith("guildboard-") and saved.suggested_filename.endswith(
        ".xlsx" if reader == "xlsx" else ".md"
    )
    if reader == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)["repositories"]
        rows = list(sheet.iter_rows(values_only=True))
        team = rows[0].index("team")
        assert len(rows) > 1 and {row[team] for row in rows[1:]} == {"payments"}
    else:
        text = path.read_text(encoding="utf-8")
        assert "teams payments" in text
    assert page.locator("[data-testid='stException']").count() == 0
