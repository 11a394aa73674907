"""The small parts of the GitHub source: redaction, pacing, the blob cache, link headers."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.sources.blob_cache import BlobCache, default_cache_path, git_blob_sha
from collectors.sources.github_api import ApiError, Credentials, RateGate, _next_link, redact

SECRET = "secret-token-abcdefghijklmnopqrstuvwxyz0123456789"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"boom {SECRET} boom", "boom *** boom"),
        (f"{{'Authorization': 'token {SECRET}'}}", "{'Authorization': '***'}"),
        ("Authorization: Bearer eyJhbGciOi.abc.def", "Authorization: ***"),
        ("nothing secret here: 404 Not Found", "nothing secret here: 404 Not Found"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, (SECRET,)) == expected


@given(st.text(), st.text())
def test_redact_never_lets_the_secret_through(before: str, after: str) -> None:
    assert SECRET not in redact(before + SECRET + after, (SECRET,))


def test_credentials_repr_hides_secrets() -> None:
    assert SECRET not in repr(Credentials(token=SECRET)) and SECRET not in str(Credentials(token=SECRET))
    assert "github-app" in repr(Credentials(app_id=1, app_key="-----BEGIN KEY-----", installation_id=2))


@pytest.mark.parametrize(
    ("status", "transient"), [(None, True), (500, True), (503, True), (429, True), (404, False), (451, False)]
)
def test_api_error_transient(status: int | None, transient: bool) -> None:
    assert ApiError(status, "x").transient is transient


def gate_after(remaining: int, limit: int, reset_in: float, reserve: int = 10) -> tuple[RateGate, list[float]]:
    slept: list[float] = []
    gate = RateGate(reserve, sleep=slept.append)
    gate.update(
        {
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Reset": str(int(time.time() + reset_in)),
            "X-RateLimit-Resource": "core",
        }
    )
    return gate, slept


@pytest.mark.parametrize(
    ("remaining", "limit", "reset_in", "expect"),
    [
        (4000, 5000, 600, "none"),  # plenty left: no delay
        (300, 5000, 600, "paced"),  # under 10 %: spread over the time to the reset
        (10, 5000, 600, "wait"),  # only the reserve left: wait for the reset
        (10, 5000, -5, "none"),  # the reset has passed: go
    ],
)
def test_rate_gate(remaining: int, limit: int, reset_in: float, expect: str) -> None:
    gate, slept = gate_after(remaining, limit, reset_in)
    gate.before("core")
    gate.before("graphql")  # another resource's bucket is unknown: never delayed
    if expect == "none":
        assert slept == []
    elif expect == "paced":
        assert len(slept) == 1 and 0 < slept[0] <= 30
    else:
        assert len(slept) == 1 and slept[0] >= reset_in - 1
    assert gate.remaining("core") is not None and gate.remaining("graphql") is None


def test_rate_gate_ignores_an_older_answer() -> None:
    gate, _ = gate_after(100, 5000, 600)
    gate.update({"X-RateLimit-Remaining": "4000", "X-RateLimit-Limit": "5000", "X-RateLimit-Reset": "1"})
    assert gate.remaining("core") == (100, 5000)


def test_git_blob_sha_matches_git(tmp_path: Path) -> None:
    for data in (b"", b"hello\n", bytes(range(256)) * 10):
        (tmp_path / "f").write_bytes(data)
        done = subprocess.run(["git", "hash-object", str(tmp_path / "f")], capture_output=True, text=True, check=True)
        assert git_blob_sha(data) == done.stdout.strip()


def test_blob_cache_round_trip_and_answers(tmp_path: Path) -> None:
    cache = BlobCache(tmp_path / "c.sqlite")
    blobs = {git_blob_sha(b"a"): b"a", git_blob_sha(b"\x00bin"): b"\x00bin"}
    cache.put_many(blobs)
    cache.put_many(blobs)  # idempotent
    assert cache.get_many([*blobs, "0" * 40]) == blobs
    assert cache.blob_count() == 2
    assert cache.answer("k") is None
    cache.keep_answer("k", 'W/"1"', {"items": [1], "next": None})
    assert cache.answer("k") == ('W/"1"', {"items": [1], "next": None})
    cache.close()
    again = BlobCache(tmp_path / "c.sqlite")
    assert again.get_many(blobs) == blobs  # kept on disk
    again.close()


def test_default_cache_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_cache_path(f"sqlite:///{tmp_path}/g.db") == tmp_path / "g.cache.sqlite"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    one = default_cache_path("postgresql+psycopg://u:secret@db/guild")
    assert one.parent == tmp_path / "xdg" / "guildboard" and "secret" not in str(one)
    assert one != default_cache_path("postgresql+psycopg://u:secret@db/other")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://x/api/v3/orgs/a/repos?page=2>; rel="next", <https://x/api/v3/orgs/a/repos?page=9>; rel="last"',
         "https://x/api/v3/orgs/a/repos?page=2"),
        ('<https://x/r?page=1>; rel="prev", <https://x/r?page=3>; rel="next"', "https://x/r?page=3"),
        ('<https://x/r?page=1>; rel="first"', None),
        ("", None),
    ],
)  # fmt: skip
def test_next_link(header: str, expected: str | None) -> None:
    assert _next_link(header) == expected


def test_a_closed_blob_fetcher_answers_at_once_instead_of_leaving_a_thread_waiting() -> None:
    """After Ctrl-C the fetcher is closed while collection threads may still ask it for blobs; an
    answer that never comes would keep the process from exiting."""
    import threading

    from collectors.sources.github import BlobFetcher, FetcherClosed
    from collectors.sources.github_api import Api

    fetcher = BlobFetcher(Api(Credentials(token="x")), None)
    fetcher.close()
    outcome: list[BaseException] = []

    def ask() -> None:
        try:
            fetcher.fetch("acme", "r", {"a" * 40: 10})
        except FetcherClosed as err:
            outcome.append(err)

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive() and len(outcome) == 1
