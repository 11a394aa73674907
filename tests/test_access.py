"""The login and the allow-list: who gets past `app.py`'s gate, and what everyone else sees.

The allow-list's parsing and matching are tables; the gate is the real `app.py` under AppTest with
an `[auth]` section in its secrets and a signed-in user (or none) as Streamlit would give it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from pages.access import ALLOW_ENV, AccessError, AllowList, _md, auth_problems, providers, verified_email
from standards import STANDARDS_ENV
from store import DB_ENV
from tests.dashboard_app import APP, ROOT, TIMEOUT, DemoSite

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret-for-tests",
    "client_id": "guildboard",
    "client_secret": "client-secret-never-shown",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}


# --- the allow-list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "emails", "domains"),
    [
        (["ana@example.com"], {"ana@example.com"}, set()),
        (["Ana@Example.COM"], {"ana@example.com"}, set()),
        (["@example.com"], set(), {"example.com"}),
        (["@Sub.Example.com"], set(), {"sub.example.com"}),
        (["ana@example.com, @example.org ,bo@x.io"], {"ana@example.com", "bo@x.io"}, {"example.org"}),
        (["ana@example.com", "ana@EXAMPLE.com"], {"ana@example.com"}, set()),
        (["first.last+tag@mail-1.example.co.uk"], {"first.last+tag@mail-1.example.co.uk"}, set()),
        ([""], set(), set()),
        ([" , ,"], set(), set()),
        ([], set(), set()),
    ],
)
def test_allow_list_entries(entries: list[str], emails: set[str], domains: set[str]) -> None:
    allowed = AllowList.parse(entries)
    assert (set(allowed.emails), set(allowed.domains)) == (emails, domains)
    assert bool(allowed) == bool(emails or domains) and len(allowed) == len(emails) + len(domains)
    assert AllowList.parse([allowed.to_env()]) == allowed


@pytest.mark.parametrize(
    "bad",
    ["ana", "example.com", "@", "ana@", "@@example.com", "ana@@example.com", "ana@example", "ana bo@example.com",
     "ana@exa mple.com", "*@example.com", "@*.example.com", "ana@-example.com", "ana@example.com.", "<ana@example.com>"],
)  # fmt: skip
def test_a_malformed_entry_is_refused_by_name(bad: str) -> None:
    with pytest.raises(AccessError) as err:
        AllowList.parse([f"ok@example.com,{bad}"])
    assert repr(bad.strip()) in str(err.value) and "ok@example.com" not in str(err.value)


def test_every_malformed_entry_is_listed() -> None:
    with pytest.raises(AccessError, match=r"'ana', 'example\.com'"):
        AllowList.parse(["ana", "@example.org", "example.com"])


ALLOW = AllowList.parse(["ana@example.com", "@guild.example.org"])


@pytest.mark.parametrize(
    ("email", "admitted"),
    [
        ("ana@example.com", True),
        ("ANA@Example.Com", True),
        (" ana@example.com ", True),
        ("bo@example.com", False),  # the address is listed, not its domain
        ("anyone@guild.example.org", True),
        ("Anyone@GUILD.example.org", True),
        ("x@sub.guild.example.org", False),  # a domain, not its subdomains
        ("x@evilguild.example.org", False),
        ("ana@example.com.evil.io", False),
        ("ana@example.com@evil.io", False),
        ("guild.example.org", False),
        ("@guild.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_who_the_allow_list_admits(email: str | None, admitted: bool) -> None:
    assert ALLOW.admits(email) is admitted


def test_an_empty_allow_list_admits_no_one() -> None:
    assert not AllowList().admits("ana@example.com")


@given(st.text(max_size=80))
def test_matching_any_text_only_answers(text: str) -> None:
    assert ALLOW.admits(text) in (True, False)
    try:
        parsed = AllowList.parse([text])
    except AccessError:
        return
    assert all("@" in e for e in parsed.emails)


@pytest.mark.parametrize(
    ("user", "email"),
    [
        ({"is_logged_in": True, "email": "ana@example.com"}, "ana@example.com"),
        ({"is_logged_in": True, "email": "ana@example.com", "email_verified": True}, "ana@example.com"),
        ({"is_logged_in": True, "email": "ana@example.com", "email_verified": False}, None),
        ({"is_logged_in": True}, None),
        ({"is_logged_in": True, "email": ["ana@example.com"]}, None),
    ],
)
def test_only_a_verified_email_counts(user: dict, email: str | None) -> None:
    assert verified_email(user) == email


# --- the [auth] section -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "expected_providers", "problems"),
    [
        (AUTH, [None], []),
        (
            {**{k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}, "google": {**AUTH}, "okta": {**AUTH}},
            ["google", "okta"],
            [],
        ),
        ({k: v for k, v in AUTH.items() if k != "cookie_secret"}, [None], ["[auth] has no cookie_secret"]),
        ({"redirect_uri": "x", "cookie_secret": "y"}, [], ["[auth] names no provider"]),
        (
            {"redirect_uri": "x", "cookie_secret": "y", "okta": {"client_id": "c"}},
            ["okta"],
            ["[auth.okta] has no client_secret", "[auth.okta] has no server_metadata_url"],
        ),
    ],
)
def test_auth_section_problems(auth: dict, expected_providers: list, problems: list[str]) -> None:
    assert providers(auth) == expected_providers
    found = auth_problems(auth)
    assert len(found) == len(problems) and all(f.startswith(p) for f, p in zip(found, problems, strict=True))
    assert all(AUTH["client_secret"] not in f and AUTH["cookie_secret"] not in f for f in found)


# --- the gate in app.py -----------------------------------------------------------------------------


def gated(user: dict | None = None, auth: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = auth or AUTH
    if user is not None:
        at.user = user
    return at.run()


def only_the_gate(at: AppTest) -> None:
    """Nothing of the dashboard: no sidebar (so no navigation, snapshot or filters), no page, no chart."""
    assert not at.exception
    assert [t.value for t in at.title] == ["guildboard"]
    assert not at.sidebar.children
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric
    assert not at.selectbox and not at.multiselect


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that does not exist: the gate must not even look for it."""
    monkeypatch.setenv(DB_ENV, f"sqlite:///{tmp_path / 'missing' / 'none.db'}")
    monkeypatch.setenv(STANDARDS_ENV, str(tmp_path / "no-standards.yaml"))
    monkeypatch.setenv(ALLOW_ENV, "ana@example.com")


def test_an_anonymous_visitor_sees_only_the_login(nowhere: None, tmp_path: Path) -> None:
    at = gated()
    only_the_gate(at)
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.error and not at.warning  # not a word about the missing database
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("page", ["teams", "repository", "meeting"])
def test_an_anonymous_visitor_asking_for_a_page_gets_the_login(nowhere: None, page: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.query_params.update({"snapshot": "1", "team": "payments"})
    at.switch_page(f"pages/{page}.py")
    only_the_gate(at.run())
    assert [b.label for b in at.button] == ["Log in"]


def test_each_named_provider_gets_its_button(nowhere: None) -> None:
    auth = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"], "google": AUTH,
            "microsoft_entra": AUTH}  # fmt: skip
    at = gated(auth=auth)
    only_the_gate(at)
    assert [b.label for b in at.button] == ["Log in with Google", "Log in with Microsoft Entra"]


@pytest.mark.parametrize(
    ("allow", "user", "says"),
    [
        ("ana@example.com", {"is_logged_in": True, "email": "eve@example.com"}, "not on this dashboard's allow-list"),
        ("@example.com", {"is_logged_in": True, "email": "eve@example.com.evil.io"}, "not on this"),
        ("", {"is_logged_in": True, "email": "ana@example.com"}, "the allow-list is empty"),
        ("ana@example.com,nonsense", {"is_logged_in": True, "email": "ana@example.com"}, "cannot be read"),
        ("ana@example.com", {"is_logged_in": True, "email": "ana@example.com", "email_verified": False}, "verified"),
        ("ana@example.com", {"is_logged_in": True}, "no verified email"),
    ],
)
def test_a_signed_in_user_not_admitted_is_refused_and_can_log_out(
    nowhere: None, monkeypatch: pytest.MonkeyPatch, allow: str, user: dict, says: str
) -> None:
    monkeypatch.setenv(ALLOW_ENV, allow)
    at = gated(user)
    only_the_gate(at)
    assert len(at.error) == 1 and says in at.error[0].value
    if "email" in user and "not on" in says:
        assert _md(user["email"]) in at.error[0].value
    assert [b.label for b in at.button] == ["Log out"]


def test_an_admitted_user_gets_the_dashboard_and_a_log_out(
    dashboard: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_ENV, "@example.com")
    at = gated({"is_logged_in": True, "email": "Ana@Example.com", "name": "Ana"})
    assert not at.exception and not at.error
    assert "Overview" in [t.value for t in at.title]
    assert at.get("plotly_chart")
    assert any("Signed in as" in c.value and "Example" in c.value for c in at.sidebar.caption)
    assert "Log out" in [b.label for b in at.sidebar.button]
    assert at.sidebar.selectbox  # the snapshot picker and the rest of the frame


def test_without_auth_the_dashboard_has_no_gate(dashboard: DemoSite) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception and "Overview" in [t.value for t in at.title]
    assert "Log out" not in [b.label for b in at.button]


# --- guildboard serve: the login's settings, checked before anything starts -------------------------


def secrets_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(text)
    return path


AUTH_TOML = "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items())


@pytest.mark.parametrize(
    ("args", "secrets", "env_allow", "message"),
    [
        (["--address", "0.0.0.0"], None, None, "--address 0.0.0.0 would show every repository to anyone"),
        (["--address", "10.1.2.3"], None, None, "pass --no-login if something in front"),
        (["--allow", "ana@example.com"], None, None, "--allow needs a login"),
        ([], None, "ana@example.com", "--allow needs a login"),
        ([], AUTH_TOML, None, "configures a login ([auth]) but no one is allowed in"),
        (["--allow", "ana"], AUTH_TOML, None, "not an email address or @domain in the allow-list: 'ana'"),
        ([], AUTH_TOML, "ana@example.com,*@example.com", "'*@example.com' (a whole domain is written @example.com)"),
        (["--allow", "@example.com", "--no-login"], AUTH_TOML, None, "--no-login, but"),
        (
            ["--allow", "@example.com"],
            AUTH_TOML.replace('client_secret = "client-secret-never-shown"\n', ""),
            None,
            "cannot work: [auth] has no client_secret",
        ),
        (["--allow", "@example.com"], '[auth]\nclient_secret = "client-secret-never-shown\n', None, "is not TOML"),
        (["--allow", "@example.com"], "missing", None, "no secrets file at"),
    ],
)
def test_serve_refuses_a_login_half_configured_or_an_open_address(
    tmp_path: Path,
    args: list[str],
    secrets: str | None,
    env_allow: str | None,
    message: str,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != ALLOW_ENV}
    env["HOME"] = str(tmp_path / "home")  # no ~/.streamlit/secrets.toml of the developer's
    if env_allow is not None:
        env[ALLOW_ENV] = env_allow
    if secrets == "missing":
        args = [*args, "--secrets", str(tmp_path / "nope.toml")]
    elif secrets is not None:
        args = [*args, "--secrets", str(secrets_file(tmp_path, secrets))]
    done = subprocess.run(
        [sys.executable, "-m", "cli", "serve", "--db", f"sqlite:///{tmp_path / 'g.db'}", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert AUTH["client_secret"] not in done.stderr + done.stdout and AUTH["cookie_secret"] not in done.stderr
    assert not (tmp_path / "g.db").exists()  # refused before anything was opened


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "says", "warns"),
    [
        ([], "(only this machine, no login;", False),
        (["--address", "0.0.0.0", "--no-login"], "(anyone reaching 0.0.0.0: no login (--no-login);", True),
    ],
)
def test_serve_says_who_can_reach_it(
    empty_dashboard: str, tmp_path: Path, args: list[str], says: str, warns: bool
) -> None:
    from tests.streamlit_server import free_port, running

    port = free_port()
    env = {"HOME": str(tmp_path / "home"), ALLOW_ENV: ""}
    cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--db", empty_dashboard, "--port", str(port), *args]
    with running(cmd, port=port, cwd=tmp_path, env=env) as server:
        log = server.log.read_text()
    assert says in log
    assert ("warning: no login: anyone who reaches 0.0.0.0" in log) is warns


def test_an_allow_list_without_a_login_admits_no_one(nowhere: None) -> None:
    """serve sets the allow-list only with a login: one without the other means the secrets were lost."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    only_the_gate(at)
    assert "login cannot work" in at.error[0].value


def test_a_broken_secrets_file_admits_no_one(nowhere: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.delenv(ALLOW_ENV)
    broken = secrets_file(tmp_path, '[auth]\nclient_id = "guildboard\n')
    original = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    finally:
        config.set_option("secrets.files", original)
    only_the_gate(at)
    assert "secrets file cannot be read" in at.error[0].value
