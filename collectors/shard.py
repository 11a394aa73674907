"""Which slice of an organisation a collector takes: `--shard K/N` splits the repositories into N
disjoint, stable slices by a hash of their name, so N CI runners share one organisation (and each
spends its own token's rate limit) and the same repository always lands in the same slice."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")

#: More slices than this is a typing mistake, not a plan: GitHub's matrix stops at 256 jobs.
MAX_SHARDS = 256


class ShardError(ValueError):
    """A `--shard` that is not K/N with 1 <= K <= N."""


def shard_of(name: str, count: int) -> int:
    """The slice (1..count) a repository belongs to: the same on every machine, in every run, and
    whatever the case GitHub spells the name in."""
    digest = hashlib.sha256(name.lower().encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based: shard 1/4 is the first of four
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SHARD.match(text)
        if not match:
            raise ShardError(f"--shard {text!r}: give K/N, e.g. 2/4 for the second of four slices")
        index, count = int(match[1]), int(match[2])
        if not 1 <= count <= MAX_SHARDS:
            raise ShardError(f"--shard {text!r}: N must be between 1 and {MAX_SHARDS}")
        if not 1 <= index <= count:
            raise ShardError(f"--shard {text!r}: K must be between 1 and N ({count})")
        return cls(index, count)

    def holds(self, name: str) -> bool:
        return shard_of(name, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
