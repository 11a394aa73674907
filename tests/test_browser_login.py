"""The login end to end: `guildboard serve --secrets --allow`, headless Chromium, and an OpenID
Connect provider of our own (`tests/fake_oidc.py`), all over real HTTP on loopback.

Streamlit's own `st.login` flow runs unchanged: discovery, the provider's authorize redirect, the
code exchanged for an RS256 id_token checked against the provider's keys, Streamlit's signed
cookie; then `pages.access.gate` decides what the browser shows. Chromium is found, skipped or
failed for exactly as in `tests/test_browser.py`, whose helpers this file borrows.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator

import pytest

from tests.dashboard_app import STANDARDS
from tests.fake_oidc import FakeOIDC
from tests.streamlit_server import Server, free_port, running
from tests.test_browser import (  # importing it skips (or, in CI, fails) without chromium
    browser,  # noqa: F401  (a fixture)
    demo_db,  # noqa: F401  (a fixture)
    metric,
    screenshot,
    visitor,
    wait_for_app,
)

pytestmark = pytest.mark.slow

ALLOWED = "ana@example.com"
LOGIN_BUTTON = "[data-testid='stButton'] button:has-text('Log in')"
#: Anything the dashboard itself draws; none of it may show before the gate lets someone in.
DASHBOARD = [
    "[data-testid='stSidebar']",
    "[data-testid='stSidebarNav']",
    "[data-testid='stMetric']",
    "[data-testid='stPlotlyChart']",
    "[data-testid='stDataFrame']",
    "[data-testid='stException']",
]


class LoginSite:
    """The served dashboard, its provider, and the secrets it must never show."""

    def __init__(self, server: Server, provider: FakeOIDC, client_secret: str, cookie_secret: str) -> None:
        self.server, self.provider = server, provider
        self.client_secret, self.cookie_secret = client_secret, cookie_secret
        self.base = server.base


@pytest.fixture(scope="module")
def site(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoginSite]:  # noqa: F811
    work = tmp_path_factory.mktemp("serve-login")
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/oauth2callback"
    client_secret = f"client-{secrets.token_urlsafe(24)}"
    cookie_secret = f"cookie-{secrets.token_urlsafe(32)}"
    with FakeOIDC(client_id="guildboard-test", client_secret=client_secret) as provider:
        provider.redirect_uris = [redirect_uri]
        secrets_file = work / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{redirect_uri}"\n'
            f'cookie_secret = "{cookie_secret}"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n',
            encoding="utf-8",
        )
        cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--db", demo_db, "--port", str(port),
               "--standards", str(STANDARDS), "--secrets", str(secrets_file), "--allow", ALLOWED]  # fmt: skip
        with running(cmd, port=port, cwd=work, env={}) as server:
            yield LoginSite(server, provider, client_secret, cookie_secret)


def assert_only_the_login(page) -> None:
    wait_for_app(page, ready=LOGIN_BUTTON)
    assert page.locator("h1").all_inner_texts() == ["guildboard"]
    assert page.locator("[data-testid='stButton'] button").all_inner_texts() == ["Log in"]
    assert_no_dashboard(page)


def assert_no_dashboard(page) -> None:
    for selector in DASHBOARD:
        assert page.locator(selector).count() == 0, f"{selector} shown to someone not admitted"
    links = page.locator("[data-testid='stMain'] a, [data-testid='stSidebar'] a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert not [href for href in links if href and href.startswith("/")], f"navigation links shown: {links}"
    body = page.locator("[data-testid='stApp']").inner_text()
    for word in ("Overview", "Teams", "Repositories", "Signed in as"):
        assert word not in body
    assert page.get_by_role("dialog").count() == 0  # no "Page not found" over the login on a deep link


def log_in(page, site: LoginSite, user: dict) -> None:
    """From the login view: click Log in; the provider signs `user` in and sends the browser back."""
    site.provider.next_user = user
    page.locator(LOGIN_BUTTON).click()
    page.wait_for_url(f"{site.base}/**", timeout=60_000)  # back from the provider (and its callback)
    page.wait_for_function("() => !window.location.pathname.startsWith('/oauth2callback')", timeout=60_000)


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_selector(LOGIN_BUTTON, timeout=60_000)


@pytest.mark.parametrize("address", ["/teams?snapshot=1", "/"])
def test_an_anonymous_visitor_sees_the_login_and_nothing_else(site: LoginSite, browser, address: str) -> None:  # noqa: F811
    asked = sum(site.provider.counts.values())
    with visitor(browser) as page:
        page.goto(site.base + address)
        assert_only_the_login(page)
        screenshot(page, f"login-anonymous{address.split('?')[0].replace('/', '-')}")
    assert sum(site.provider.counts.values()) == asked  # showing the login asks the provider nothing


def test_a_deep_link_lands_on_the_login_without_a_page_not_found_dialog(site: LoginSite, browser) -> None:  # noqa: F811
    with visitor(browser) as page:
        page.goto(f"{site.base}/teams?snapshot=1")
        assert_only_the_login(page)
        assert page.get_by_role("dialog").all_inner_texts() == []


def test_an_allowed_user_logs_in_through_the_provider_sees_the_dashboard_and_logs_out(
    site: LoginSite,
    browser,  # noqa: F811
) -> None:
    provider = site.provider
    before = provider.counts.copy()
    with visitor(browser) as page:
        page.goto(f"{site.base}/")
        assert_only_the_login(page)

        log_in(page, site, {"email": ALLOWED, "email_verified": True, "name": "Ana"})
        wait_for_app(page)
        assert "Overview" in page.locator("h1").first.inner_text()
        assert int(metric(page, "Repositories")) > 0
        sidebar = page.locator("[data-testid='stSidebar']")
        assert f"Signed in as {ALLOWED}" in sidebar.inner_text()
        assert sidebar.get_by_role("button", name="Log out").count() == 1
        assert page.get_by_role("link", name="Teams").count() >= 1  # the navigation is there now
        assert page.locator("[data-testid='stException']").count() == 0
        html = page.content()
        assert site.client_secret not in html and site.cookie_secret not in html
        screenshot(page, "login-admitted")

        # the flow really went through the provider, and the provider refused nothing
        grew = {name: provider.counts[name] - before[name] for name in ("discovery", "authorize", "token", "jwks")}
        assert all(count >= 1 for count in grew.values()), grew
        assert provider.rejected == []
        assert provider.issued[-1]["email"] == ALLOWED and provider.issued[-1]["aud"] == provider.client_id

        # the session survives a reload (Streamlit's signed cookie), and any address now opens its page
        page.goto(f"{site.base}/teams")
        wait_for_app(page, ready="h1")
        assert "Teams" in page.locator("h1").first.inner_text()
        assert f"Signed in as {ALLOWED}" in page.locator("[data-testid='stSidebar']").inner_text()

        logouts = provider.counts["logout"]
        log_out(page)
        assert_only_the_login(page)
        assert provider.counts["logout"] == logouts + 1  # the provider's end-session endpoint too
        page.goto(f"{site.base}/")
        assert_only_the_login(page)  # the cookie is gone: a reload does not sign in again
        screenshot(page, "login-after-logout")
    assert provider.rejected == []


@pytest.mark.parametrize(
    ("user", "says"),
    [
        ({"email": "eve@example.com", "email_verified": True}, "eve@example.com"),
        ({"email": ALLOWED, "email_verified": False}, "no verified email address"),
    ],
    ids=["not-on-the-list", "unverified"],
)
def test_a_user_the_allow_list_does_not_admit_sees_a_refusal_and_nothing_else(
    site: LoginSite,
    browser,  # noqa: F811
    user: dict,
    says: str,
) -> None:
    with visitor(browser) as page:
        page.goto(f"{site.base}/")
        assert_only_the_login(page)
        log_in(page, site, user)
        page.wait_for_selector("[data-testid='stAlert']", timeout=60_000)
        wait_for_app(page, ready="[data-testid='stAlert']")
        refusal = page.locator("[data-testid='stAlert']").inner_text()
        assert says in refusal
        assert page.locator("h1").all_inner_texts() == ["guildboard"]
        assert page.locator("[data-testid='stButton'] button").all_inner_texts() == ["Log out"]
        assert_no_dashboard(page)
        screenshot(page, f"login-refused-{user['email'].split('@')[0]}")

        page.goto(f"{site.base}/teams?snapshot=1")  # an address of a page changes nothing
        wait_for_app(page, ready="[data-testid='stAlert']")
        assert says in page.locator("[data-testid='stAlert']").inner_text()
        assert_no_dashboard(page)

        page.goto(f"{site.base}/")  # no "Page not found" dialog over the Log out button
        wait_for_app(page, ready="[data-testid='stAlert']")
        log_out(page)
        assert_only_the_login(page)
    assert site.provider.rejected == []
    assert site.provider.issued[-1]["email"] == user["email"]


def test_the_server_says_a_login_is_required_and_never_shows_a_secret(site: LoginSite, browser) -> None:  # noqa: F811
    # one more login, so that the log below covers a whole flow even when this test runs alone
    with visitor(browser) as page:
        page.goto(f"{site.base}/")
        assert_only_the_login(page)
        log_in(page, site, {"email": ALLOWED, "email_verified": True})
        wait_for_app(page)
    log = site.server.log.read_text(encoding="utf-8", errors="replace")  # serve's stdout and stderr, and Streamlit's
    assert "login required, 1 allow-list entry" in log
    assert site.client_secret not in log
    assert site.cookie_secret not in log
    assert "OAuth token exchange failed" not in log and "Authentication error" not in log
    assert site.provider.rejected == []
