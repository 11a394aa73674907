"""How a value reads in a report's table cell, the same in the deck, the HTML page and Markdown."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from reports.charts.versions import row_label

#: What an empty cell says.
MISSING = "–"


def cell_text(value: Any, kind: str = "", *, with_time: bool = False) -> str:
    """`1,204`, `73%` (kind share), `2.4` (decimal), a drift item's label (item), `yes`/`no`, dates
    as days (with the time of day when `with_time`, unless kind is day), lists joined; an en dash
    when missing."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if kind == "share":
        return f"{float(value):.0%}"
    if kind == "decimal":
        return f"{float(value):.1f}"
    if kind == "item" and isinstance(value, str):
        return row_label(value)
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.2f}"
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d %H:%M" if with_time and kind != "day" else "%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(cell_text(v, with_time=with_time) for v in value) or MISSING
    return str(value)


def is_missing(value: Any) -> bool:
    """None, NA, NaT and NaN: an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(float(value))
    return False
