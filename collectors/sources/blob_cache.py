"""Everything a remote collection downloaded, kept on disk: blobs by sha, answers by URL and ETag.

Blobs are content-addressed (git's own sha), so a manifest shared by a hundred repositories, or
unchanged since the last run, is downloaded once, ever. Answers to conditional requests are kept
with their ETag, so asking again costs GitHub no rate limit when nothing changed. One SQLite file,
safe across threads; it holds repository contents, never credentials.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: A SQLite statement takes at most this many parameters on old builds; batches stay under it.
_CHUNK = 500


def git_blob_sha(data: bytes) -> str:
    """The sha git gives a blob with these bytes: how a download proves it is exactly the file."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def default_cache_path(db_url: str) -> Path:
    """Beside a SQLite store (`data/guildboard.db` -> `data/guildboard.cache.sqlite`); else in the
    user's cache folder, one file per database so two deployments never share."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        db = Path(url.database)
        return db.with_name(db.stem + ".cache.sqlite")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "guildboard"
    key = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return base / f"{key}.cache.sqlite"


class BlobCache:
    """Blobs (sha -> bytes, compressed) and conditional answers (key -> ETag, JSON body)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS blobs (sha TEXT PRIMARY KEY, data BLOB NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, etag TEXT NOT NULL, body TEXT)")

    def get_many(self, shas: Iterable[str]) -> dict[str, bytes]:
        wanted = sorted(set(shas))
        found: dict[str, bytes] = {}
        with self._lock:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for sha, data in self._db.execute(f"SELECT sha, data FROM blobs WHERE sha IN ({marks})", chunk):
                    found[sha] = zlib.decompress(data)
        return found

    def put_many(self, blobs: dict[str, bytes]) -> None:
        if not blobs:
            return
        rows = [(sha, zlib.compress(data, 6)) for sha, data in blobs.items()]
        with self._lock:
            self._db.executemany("INSERT OR IGNORE INTO blobs (sha, data) VALUES (?, ?)", rows)

    def answer(self, key: str) -> tuple[str, Any] | None:
        """(etag, body) of the last answer kept for this request, if any."""
        with self._lock:
            row = self._db.execute("SELECT etag, body FROM answers WHERE key = ?", (key,)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def keep_answer(self, key: str, etag: str, body: Any) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, etag, body) VALUES (?, ?, ?)", (key, etag, json.dumps(body))
            )

    def blob_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM blobs").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
