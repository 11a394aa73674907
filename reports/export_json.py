"""The JSON export: one snapshot's facts in the documented, versioned format.

The format is described by `reports/schema/export.schema.json` (JSON Schema 2020-12); a test
validates every export against it, so the file and the code cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from store.db import Snapshot, Store

FORMAT = "guildboard-export"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("schema") / "export.schema.json"


def export_document(store: Store, snapshot: Snapshot) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "snapshot": {
            "id": snapshot.id,
            "taken_at": snapshot.taken_at,
            "source": snapshot.source,
            "root": snapshot.root,
            "label": snapshot.label,
            "repo_count": snapshot.repo_count,
            "warning_count": snapshot.warning_count,
        },
        "repositories": [r.to_json() for r in store.repo_facts(snapshot.id)],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
