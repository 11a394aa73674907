"""Who may see the dashboard: Streamlit's OIDC login (`st.login`) and guildboard's allow-list.

The data names every private repository of the organisation, so a dashboard with a login admits
only the people on the allow-list (`GUILDBOARD_ALLOW`, which `guildboard serve --allow` sets):
whole addresses (`ana@example.com`) or a whole domain (`@example.com`), case-insensitive. An
anonymous visitor gets the login and nothing else: no sidebar, no navigation, no database read.
Everything fails closed: an empty or malformed allow-list, or a provider that says the address is
not verified, admits no one.

`[auth]` in Streamlit's secrets turns the login on (`guildboard serve --secrets FILE`); the
secrets hold the provider's client secret and the cookie key, and are never printed here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The allow-list, comma-separated: `ana@example.com,@example.org`.
ALLOW_ENV = "GUILDBOARD_ALLOW"

#: The settings Streamlit needs in `[auth]` itself, and in each provider (`[auth]` or `[auth.NAME]`).
AUTH_SHARED_KEYS = ("redirect_uri", "cookie_secret")
AUTH_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")

# Deliberately plain: an address is one @, a local part and a dotted domain, no spaces or commas.
_LOCAL = r"[^\s@,;<>()\[\]\"*]+"  # no "*": "*@example.com" means "@example.com", say so
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@{_DOMAIN}")
_AT_DOMAIN = re.compile(rf"@{_DOMAIN}")


class AccessError(ValueError):
    """An allow-list or `[auth]` section that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class AllowList:
    """Email addresses and @domains, lower-cased."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Entries from `--allow` (each may itself be comma-separated); every malformed one named."""
        emails: set[str] = set()
        domains: set[str] = set()
        bad: list[str] = []
        for entry in entries:
            for item in entry.split(","):
                value = item.strip().lower()
                if not value:
                    continue
                if _AT_DOMAIN.fullmatch(value):
                    domains.add(value[1:])
                elif _EMAIL.fullmatch(value):
                    emails.add(value)
                else:
                    bad.append(item.strip())
        if bad:
            named = ", ".join(repr(b) for b in bad)
            raise AccessError(
                f"not an email address or @domain in the allow-list: {named} (a whole domain is written @example.com)"
            )
        return cls(frozenset(emails), frozenset(domains))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AllowList:
        return cls.parse([environ.get(ALLOW_ENV, "")])

    def __bool__(self) -> bool:
        return bool(self.emails or self.domains)

    def __len__(self) -> int:
        return len(self.emails) + len(self.domains)

    def admits(self, email: str | None) -> bool:
        """Whether this address may see the dashboard: listed, or in a listed domain (not a subdomain)."""
        if not email:
            return False
        value = email.strip().lower()
        if not _EMAIL.fullmatch(value):
            return False
        return value in self.emails or value.rsplit("@", 1)[1] in self.domains

    def to_env(self) -> str:
        return ",".join(sorted(self.emails) + [f"@{d}" for d in sorted(self.domains)])


def providers(auth: Mapping[str, Any]) -> list[str | None]:
    """The login providers an `[auth]` section configures: None for the default (its settings in
    `[auth]` itself), else each `[auth.NAME]`; what `st.login` takes."""
    named = [name for name, value in auth.items() if isinstance(value, Mapping)]
    default = [None] if any(key in auth for key in AUTH_PROVIDER_KEYS) else []
    return default + sorted(named)


def auth_problems(auth: Mapping[str, Any]) -> list[str]:
    """What an `[auth]` section lacks for Streamlit's login, by key name (never a value)."""
    problems = [f"[auth] has no {key}" for key in AUTH_SHARED_KEYS if not auth.get(key)]
    found = providers(auth)
    if not found:
        problems.append(f"[auth] names no provider: give {', '.join(AUTH_PROVIDER_KEYS)} in [auth] or in [auth.NAME]")
    for name in found:
        section = auth if name is None else auth[name]
        where = "[auth]" if name is None else f"[auth.{name}]"
        problems += [f"{where} has no {key}" for key in AUTH_PROVIDER_KEYS if not section.get(key)]
    return problems


def verified_email(user: Mapping[str, Any]) -> str | None:
    """The signed-in user's address, unless the provider says it is not verified."""
    email = user.get("email")
    if not isinstance(email, str) or user.get("email_verified") is False:
        return None
    return email


# --- the gate, drawn by app.py before anything else ------------------------------------------------


def gate(addresses: Sequence[str] = ()) -> str | None:
    """Stop the run here, showing only the login or a refusal, unless the visitor may see the
    dashboard; the admitted address (None when no login is configured). `addresses` are the
    dashboard's page paths: each opens the same login, so a shared link needs no detour."""
    import streamlit as st

    def only(view) -> None:
        _only(view, addresses)

    loaded = st.secrets.load_if_toml_exists()
    auth = st.secrets.get("auth") if loaded else None
    if not isinstance(auth, Mapping):
        if os.environ.get(ALLOW_ENV, "").strip() or (not loaded and _secrets_file_exists()):
            # A login was meant (serve sets the allow-list only with one, and a secrets file is
            # there) but it did not load: admitting everyone would be the wrong way to fail.
            only(
                _refusal_view(
                    "The dashboard's login cannot work: its secrets file cannot be read, or holds no [auth] "
                    "section while an allow-list is set. No one is admitted; `guildboard serve` names the problem."
                )
            )
        return None
    user: Mapping[str, Any] = st.user
    if not user.get("is_logged_in"):
        only(_login_view(auth))
    try:
        allow = AllowList.from_env()
    except AccessError as err:
        only(_refusal_view(f"The dashboard's allow-list cannot be read, so no one is admitted: {err}."))
    email = verified_email(user)
    if email is None:
        only(_refusal_view("Your login gave no verified email address, so the allow-list cannot admit you."))
    if not allow:
        only(_refusal_view(f"You are signed in as **{_md(email)}**, but the allow-list is empty: no one is admitted."))
    if not allow.admits(email):
        only(
            _refusal_view(
                f"You are signed in as **{_md(email)}**, which is not on this dashboard's allow-list. "
                "Ask whoever runs it to add you, or log out and sign in with another account."
            )
        )
    _account(email)
    return email


def _secrets_file_exists() -> bool:
    """Whether a secrets file Streamlit reads is there (`load_if_toml_exists` says False for a
    broken file as for a missing one)."""
    from streamlit import config

    files = config.get_option("secrets.files") or []
    return any(Path(f).expanduser().is_file() for f in files)


def _only(view, addresses: Sequence[str]) -> None:
    """Make `view` the only thing there is, at the root and at every page's address (no sidebar
    navigation, no "page not found"), then stop."""
    import streamlit as st

    pages = [st.Page(view, title="guildboard", default=True)]
    pages += [st.Page(view, title="guildboard", url_path=a) for a in dict.fromkeys(addresses) if a]
    st.navigation(pages, position="hidden").run()
    st.stop()


def _login_view(auth: Mapping[str, Any]):
    import streamlit as st

    def login() -> None:
        st.title("guildboard")
        st.write("This dashboard shows your organisation's repositories. Log in to see it.")
        for name in providers(auth):
            label = "Log in" if name is None else f"Log in with {name.replace('_', ' ').title()}"
            st.button(label, key=f"guildboard_login_{name or ''}", type="primary", on_click=st.login, args=(name,))

    return login


def _refusal_view(message: str):
    import streamlit as st

    def refusal() -> None:
        st.title("guildboard")
        st.error(message, icon=":material/block:")
        st.button("Log out", key="guildboard_logout", on_click=st.logout)

    return refusal


def _account(email: str) -> None:
    import streamlit as st

    with st.sidebar:
        st.caption(f"Signed in as {_md(email)}")
        st.button("Log out", key="guildboard_logout", on_click=st.logout, type="tertiary")


def _md(text: str) -> str:
    """An address shown in Markdown as itself."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)
