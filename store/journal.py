"""Writing a running collection's records to its journal as they come, in the background.

Each repository a run finishes is kept in the run's journal (`Store.journal`) within about a
second, so an interrupted run loses at most that second's work and `--resume` continues from the
rest. Records are written in batches by one thread: collection threads never wait on the database.
"""

from __future__ import annotations

import threading

from collectors.facts import RepoFacts
from store.db import Store


class JournalWriter:
    """Buffers records and writes them every `every` seconds (and on `close`)."""

    def __init__(self, store: Store, run_id: int, *, every: float = 1.0, shard: int | None = None) -> None:
        self.store = store
        self.run_id = run_id
        self.shard = shard
        self.every = every
        self.written = 0
        self._pending: list[RepoFacts] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="journal", daemon=True)
        self._thread.start()

    def add(self, record: RepoFacts) -> None:
        if self._error is not None:
            raise self._error  # the database went away: stop the run rather than lose its work silently
        with self._lock:
            self._pending.append(record)

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.flush()

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            self.store.journal(self.run_id, batch, shard=self.shard)
            self.written += len(batch)
        except BaseException as err:  # kept for the collection thread to raise
            self._error = err
            with self._lock:
                self._pending = batch + self._pending

    def close(self) -> None:
        """Stop the thread and write what is left; raises if the journal could not be written."""
        self._stop.set()
        self._thread.join()
        self._error = None
        self.flush()
        if self._error is not None:
            raise self._error
