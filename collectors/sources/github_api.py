"""Talking to GitHub through PyGithub: one client per thread, pacing under the rate limit, retries,
conditional requests, GraphQL with partial answers, and errors that never carry a secret.

PyGithub's `GithubRetry` (urllib3) already retries 5xx, timeouts, dropped connections, and waits
out `Retry-After` and primary rate limits; `RateGate` adds what it cannot: slowing every thread
down before the limit runs out, so a large organisation never hits the wall mid-run.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import requests
from github import Auth, Github, GithubException, GithubRetry

from collectors.sources.blob_cache import BlobCache

DEFAULT_BASE_URL = "https://api.github.com"
USER_AGENT = "guildboard"


class ApiError(Exception):
    """A request that failed after its retries; the message is safe to show and to store."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status

    @property
    def transient(self) -> bool:
        """GitHub or the network failing, not the repository: worth trying again later."""
        return self.status is None or self.status >= 500 or self.status == 429


@dataclass(frozen=True, repr=False)
class Credentials:
    """A token, or a GitHub App's id, private key and installation. `repr` hides them."""

    token: str | None = None
    app_id: int | None = None
    app_key: str | None = None  # PEM text
    installation_id: int | None = None

    def __repr__(self) -> str:
        kind = "token" if self.token else "github-app" if self.app_id else "anonymous"
        return f"Credentials({kind})"

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self.app_key) if s)

    def auth(self) -> Auth.Auth | None:
        """A fresh PyGithub auth: an App installation fetches (and renews) its own token."""
        if self.token:
            return Auth.Token(self.token)
        if self.app_id is not None and self.app_key and self.installation_id is not None:
            return Auth.AppAuth(self.app_id, self.app_key).get_installation_auth(self.installation_id)
        return None


@dataclass
class ApiSettings:
    base_url: str = DEFAULT_BASE_URL
    timeout: int = 30
    retries: int = 6
    backoff: float = 0.5  # seconds, doubled each retry, with jitter
    secondary_wait: float = 60.0  # a secondary limit without Retry-After
    reserve: int = 50  # requests kept back from the limit: pacing slows down near it, waits at it


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """The text with every secret (and the `Authorization` header's value) blotted out."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(token|bearer|basic)?\s*[^\s'\",}]+", r"\1***", text)


@dataclass
class _Bucket:
    limit: int = -1
    remaining: int = -1
    reset: float = 0.0


class RateGate:
    """The rate limit left per resource (core, graphql), as the latest answers report it.

    `before` paces a request: nothing while plenty is left; a growing delay that spreads the rest
    over the time to the reset once under 10 %; a wait for the reset when only the reserve is left.
    """

    def __init__(
        self,
        reserve: int = 50,
        *,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: Callable[[str, float], None] | None = None,
    ) -> None:
        self.reserve = reserve
        self._sleep = sleep
        self.on_wait = on_wait  # told (resource, seconds) before a wait for a reset
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}
        self.waited = 0.0  # seconds spent waiting for resets, for the summary

    def update(self, headers: dict[str, Any]) -> None:
        low = {k.lower(): v for k, v in headers.items()}
        if "x-ratelimit-remaining" not in low:
            return
        try:
            remaining = int(low["x-ratelimit-remaining"])
            limit = int(low.get("x-ratelimit-limit", -1))
            reset = float(low.get("x-ratelimit-reset", 0))
        except (TypeError, ValueError):
            return
        with self._lock:
            bucket = self._buckets.setdefault(str(low.get("x-ratelimit-resource", "core")), _Bucket())
            if reset > bucket.reset or remaining < bucket.remaining or bucket.remaining < 0:
                bucket.limit, bucket.remaining, bucket.reset = limit, remaining, reset

    def before(self, resource: str = "core") -> None:
        with self._lock:
            bucket = self._buckets.get(resource)
            if bucket is None or bucket.remaining < 0 or bucket.limit <= 0:
                return
            now = time.time()
            left = bucket.remaining - self.reserve
            to_reset = max(0.0, bucket.reset - now)
            waiting = left <= 0 and to_reset > 0
            if waiting:
                delay = to_reset + 1.0
                bucket.remaining = bucket.limit  # the next answer says what is really left
            elif bucket.remaining < bucket.limit * 0.1 and to_reset > 0:
                delay = min(to_reset / max(left, 1), 30.0)
            else:
                delay = 0.0
            bucket.remaining -= 1
        if delay > 0:
            if waiting and self.on_wait is not None:
                self.on_wait(resource, delay)
            self.waited += delay
            self._sleep(delay)

    def remaining(self, resource: str = "core") -> tuple[int, int] | None:
        with self._lock:
            b = self._buckets.get(resource)
            return (b.remaining, b.limit) if b and b.limit > 0 else None


@dataclass
class Api:
    """Requests to one GitHub host, from any thread; each thread gets its own PyGithub client."""

    credentials: Credentials
    settings: ApiSettings = field(default_factory=ApiSettings)
    cache: BlobCache | None = None
    gate: RateGate = field(default_factory=RateGate)
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._local = threading.local()
        self._count_lock = threading.Lock()
        self.gate.reserve = self.settings.reserve
        self.host = urlparse(self.settings.base_url).netloc or "github.com"  # keys the kept answers

    # --- clients -----------------------------------------------------------------------------------

    def client(self) -> Github:
        gh = getattr(self._local, "gh", None)
        if gh is None:
            retry = GithubRetry(
                total=self.settings.retries,
                backoff_factor=self.settings.backoff,
                backoff_jitter=self.settings.backoff,
                backoff_max=60,
                secondary_rate_wait=self.settings.secondary_wait,
            )
            gh = Github(
                base_url=self.settings.base_url,
                auth=self.credentials.auth(),
                timeout=self.settings.timeout,
                user_agent=USER_AGENT,
                per_page=100,
                retry=retry,
                seconds_between_requests=None,
                seconds_between_writes=None,
            )
            self._local.gh = gh
        return gh

    def _count(self, kind: str) -> None:
        with self._count_lock:
            self.counts[kind] += 1

    # --- requests ------------------------------------------------------------------------------------

    def get(self, kind: str, path: str, params: dict[str, Any] | None = None, *, conditional: bool = False) -> Any:
        """GET a JSON answer. `conditional`: send the ETag of the answer kept from last time; a 304
        (free of rate limit) returns that kept answer."""
        return self._get(kind, path, params, conditional=conditional)[0]

    def pages(self, kind: str, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Every item of a paginated list answer, following GitHub's `Link: rel="next"`. Each page is
        a conditional request: a page unchanged since last time costs no rate limit."""
        items: list[Any] = []
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
        while url:
            page, url = self._get(kind, url, query, conditional=True)
            items += page if isinstance(page, list) else []
            query = None  # the next link carries the query
        return items

    def _get(self, kind: str, url: str, params: dict[str, Any] | None, *, conditional: bool) -> tuple[Any, str | None]:
        """(answer, the `rel="next"` link): one paced, counted GET; a conditional one keeps its
        answer with the ETag, and a 304 gives back what was kept."""
        key = f"{self.host}{url}?{sorted((params or {}).items())}"
        kept = self.cache.answer(key) if conditional and self.cache is not None else None
        self.gate.before("core")
        self._count(kind)
        gh = self.client()
        try:
            headers, data = gh.requester.requestJsonAndCheck(
                "GET", url, params, {"If-None-Match": kept[0]} if kept else None
            )
        except (GithubException, requests.RequestException, OSError) as err:
            raise self._error(err, f"{kind} {url}") from None
        self.gate.update(headers)
        if kept is not None and data is None:  # 304: the answer we kept is still true
            self._count("not-modified")
            return kept[1]["data"], kept[1]["next"]
        low = {k.lower(): v for k, v in headers.items()}
        next_url = _next_link(low.get("link", ""))
        if conditional and low.get("etag") and self.cache is not None and data is not None:
            self.cache.keep_answer(key, low["etag"], {"data": data, "next": next_url})
        return data, next_url

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[dict]]:
        """(data, errors): GitHub answers partly when part of a batched query fails (a repository not
        found), so errors come back beside the data instead of discarding it. HTTP faults are retried
        by PyGithub; here only an answer that is all errors and says it was transient is retried."""
        gh = self.client()
        requester = gh.requester
        attempts = self.settings.retries
        for attempt in range(attempts + 1):
            self.gate.before("graphql")
            self._count("graphql")
            try:
                headers, body = requester.requestJsonAndCheck(
                    "POST", requester.graphql_url, input={"query": query, "variables": variables or {}}
                )
            except (GithubException, requests.RequestException, OSError) as err:
                raise self._error(err, "graphql") from None  # PyGithub's retries are spent
            self.gate.update(headers)
            body = body if isinstance(body, dict) else {}
            errors = body.get("errors") or []
            data = body.get("data")
            if data is None and errors:
                if attempt < attempts and _transient(errors):
                    time.sleep(self.settings.backoff * (2**attempt) * (1 + random.random()))
                    continue
                raise ApiError(None, self.safe("graphql: " + "; ".join(str(e.get("message")) for e in errors[:3])))
            return data or {}, errors
        raise ApiError(None, "graphql: no answer")  # pragma: no cover - the loop returns or raises

    # --- helpers -------------------------------------------------------------------------------------

    def safe(self, text: str) -> str:
        return redact(text, self.credentials.secrets)

    def _error(self, err: Exception, what: str) -> ApiError:
        if isinstance(err, GithubException):
            message = err.message or (err.data.get("message") if isinstance(err.data, dict) else None) or ""
            return ApiError(err.status, self.safe(f"{what}: {err.status} {message}".strip()))
        reason = type(err).__name__
        if isinstance(err, requests.exceptions.RetryError):
            match = re.search(r"too many (\d\d\d) error responses", str(err))
            status = int(match.group(1)) if match else None
            return ApiError(status, self.safe(f"{what}: gave up after retries ({status or 'errors'})"))
        return ApiError(None, self.safe(f"{what}: network error ({reason}) after retries"))

    def close(self) -> None:
        gh = getattr(self._local, "gh", None)
        if gh is not None:
            gh.close()


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        match = re.match(r'\s*<([^>]+)>\s*;\s*rel="next"', part)
        if match:
            return match.group(1)
    return None


def _transient(errors: list[dict]) -> bool:
    text = " ".join(str(e.get("message", "")) + str(e.get("type", "")) for e in errors).lower()
    return any(w in text for w in ("timeout", "timed out", "something went wrong", "rate limit", "abuse"))
