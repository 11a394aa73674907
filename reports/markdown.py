"""The Markdown summary: the report in a page of GitHub-flavoured Markdown, to paste into a wiki,
an issue or a chat.

Title and subtitle, the headline numbers with their changes, compliance by team, the worst
version drift, the most fragmented categories, build health per team, what changed since the
compared snapshot (each agenda section's summary and the first rows of its tables, then "and N
more"), waivers, standards due for review, and a row per team naming the repositories that need
attention. Like every format it lays out `standards.report.Report`'s frames and computes nothing;
the full tables are in the spreadsheet.

Every text that comes from repositories or configuration is escaped (`escape`), so it reads as
itself and cannot become markup:

- line breaks and other control characters become spaces (a table row is one line);
- `\\` and the characters Markdown gives a meaning inside a line (`` ` * _ [ ] | ~ $ ``) are
  backslash-escaped: no emphasis, code span, link or image, and a `|` never ends a cell;
- `&` and `<` become entities: no HTML, no autolink (`<javascript:…>`), no entity decoding (a
  `>` without its `<` is plain text);
- at the start of a paragraph, list item or heading, a character that would open a block
  (`#`, `+`, `-`, `=`, `>`, `1.`) is escaped too (`inline`).

A `javascript:` text is therefore only ever text. Not neutralised: GitHub's `@team` mentions and
`#123` references in a text are still linked by GitHub when pasted there.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from reports.cells import MISSING, cell_text, is_missing
from reports.formats import RenderOptions
from standards import agenda as agenda_
from standards.levels import NO_LEVEL
from standards.metrics import ORGANISATION
from standards.report import Report
from store.db import snapshot_label

#: Rows of the drift and fragmentation tables.
ROWS_SHOWN = 10
#: Repositories named per team before "+N more".
TEAM_REPOS_NAMED = 3
#: What a missing value is written as.
NO_STANDARDS = (
    "No standards file was given, so this summary holds facts only: no compliance, findings, levels or "
    "waivers. Give one (guildboard report --standards FILE) to judge the repositories."
)
FULL_TABLES = "The full tables are in the spreadsheet export (guildboard report --format xlsx)."

#: Control characters, and the Unicode line and paragraph separators: a space each.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Characters with a meaning inside a line of Markdown (GitHub's included: `~` strikes through,
#: `$` starts maths), and the backslash that escapes them.
_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
#: What opens a block at the start of a line: heading, list item, quote, setext underline, ordered item.
_BLOCK_START = re.compile(r"^([#+=>-])|^(\d+)([.)])")


# --- escaping -------------------------------------------------------------------------------------------


def escape(value: Any) -> str:
    """A text as inert Markdown for a table cell or inside a line (see the module's notes)."""
    text = _BREAKS.sub(" ", str(value))
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")


def inline(value: Any) -> str:
    """A text as inert Markdown at the start of a paragraph, a list item or a heading."""
    text = escape(value).strip()
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool] | None = None) -> str:
    """A GitHub-flavoured Markdown table of texts already formatted: every cell escaped, the
    numeric columns right-aligned. Followed by a blank line, so nothing after it joins the table."""
    numeric = numeric or [False] * len(header)

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(escape(c) for c in cells) + " |"

    lines = [line(header), "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    lines += [line(row) for row in rows]
    return "\n".join(lines) + "\n\n"


# --- values -------------------------------------------------------------------------------------------


def frame_table(frame: pd.DataFrame, columns: Sequence[tuple[str, ...]], limit: int | None = None) -> str:
    """`columns` as (label, column) or (label, column, kind), kinds as `cell_text`'s; the first
    `limit` rows, then "and N more". Columns the frame lacks are left out."""
    present = [(c[0], c[1], c[2] if len(c) > 2 else "") for c in columns if c[1] in frame.columns]
    shown = frame if limit is None else frame.head(limit)
    values = [[cell_text(v, kind) for v in shown[column].tolist()] for _, column, kind in present]
    rows = list(zip(*values, strict=True)) if values else []
    numeric = [kind in ("share", "decimal") or _numeric(frame[column]) for _, column, kind in present]
    out = table([label for label, _, _ in present], rows, numeric)
    hidden = len(frame) - len(shown)
    return out + (f"\n{agenda_.more_text(hidden).capitalize()}.\n" if hidden else "")


def _numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)


# --- the summary --------------------------------------------------------------------------------------------


def render(report: Report, options: RenderOptions) -> bytes:
    return summary(report).encode("utf-8")


def summary(report: Report) -> str:
    parts = [f"# {inline(report.title)}\n", f"{inline(report.subtitle)}\n", _about(report)]
    parts += headline(report)
    parts += compliance(report)
    parts += drift(report)
    parts += fragmentation(report)
    parts += build(report)
    parts += changes(report)
    parts += standing(report, "waivers", "Waivers")
    parts += standing(report, "review", "Standards due for review")
    parts += teams(report)
    parts.append(f"{FULL_TABLES}\n")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts))


def _about(report: Report) -> str:
    when = report.generated_at
    with contextlib.suppress(ValueError):
        when = datetime.fromisoformat(report.generated_at).strftime("%Y-%m-%d %H:%M UTC")
    judged = f"judged by {report.standards_path}" if report.judged else "facts only, no standards file"
    return f"{inline(f'Generated {when} · {judged}.')}\n"


def headline(report: Report) -> list[str]:
    section = report.section("headline")
    if section is None:
        return []
    lead = section.summary + (" · no snapshot to compare with" if report.compare is None else "")
    # without standards only the first number, the active repositories, means anything
    numbers = section.numbers if report.judged else section.numbers[:1]
    rows = [(n.label, n.text(), n.delta_text() or MISSING) for n in numbers]
    return ["## Headline\n", f"{inline(lead)}\n", table(["Number", "Value", "Change"], rows, [False, True, True])]


def compliance(report: Report) -> list[str]:
    if not report.judged:
        return ["## Compliance by team\n", f"{inline(NO_STANDARDS)}\n"]
    frame = report.team_compliance
    if frame.empty:
        return ["## Compliance by team\n", "No team has an active repository.\n"]
    columns = [("Team", "team"), ("Passing", "share_passing", "share"), ("Waived", "share_waived", "share"),
               ("Pass", "pass"), ("Fail", "fail"), ("Waived findings", "waived"), ("Error", "error"),
               ("Applicable", "applicable")]  # fmt: skip
    lead = "Share of each team's applicable findings that pass; waived is not passing."
    return ["## Compliance by team\n", f"{lead}\n", frame_table(frame, columns)]


def drift(report: Report) -> list[str]:
    summary_ = report.drift_summary
    judged = summary_[summary_["target"].notna()] if "target" in summary_ else summary_.iloc[0:0]
    out = ["## Version drift\n"]
    if judged.empty:
        nothing = (
            "No standard sets a version target for anything in use."
            if report.judged
            else "No standards file was given, so there are no version targets."
        )
        return [*out, f"{nothing}\n"]
    judged = judged.assign(
        _what=[f"{n} (runtime)" if k == "runtime" else n for k, n in zip(judged["kind"], judged["name"], strict=True)]
    )
    columns = [("Technology or runtime", "_what"), ("Teams", "teams"), ("Repositories", "repos"),
               ("Target", "target"), ("On target", "on_target"), ("Share on target", "share_on_target", "share"),
               ("Majors behind", "majors_behind_max"), ("Minors behind", "minors_behind_max"),
               ("Versions in use", "versions_in_use")]  # fmt: skip
    lead = "Furthest from target first, over the whole organisation."
    return [*out, f"{lead}\n", frame_table(judged, columns, ROWS_SHOWN)]


def fragmentation(report: Report) -> list[str]:
    frame = report.fragmentation
    org = frame[frame["team"].astype(str) == ORGANISATION].sort_values("category") if len(frame) else frame
    out = ["## Fragmentation\n"]
    if org.empty:
        return [*out, "No technology in use.\n"]
    columns = [("Category", "category"), ("Effective choices", "effective_choices", "decimal"),
               ("Technologies", "technologies"), ("Repositories", "repos"), ("Most used", "top_technology"),
               ("Its share", "top_share", "share")]  # fmt: skip
    lead = "Most fragmented categories first: the effective number of choices (1 is one choice for all)."
    return [*out, f"{lead}\n", frame_table(org, columns, ROWS_SHOWN)]


def build(report: Report) -> list[str]:
    view = report.build
    out = ["## Build health\n"]
    lead = f"Default-branch builds: {view.collected:,} of {len(view.repos):,} repositories have build health collected."
    states = view.states
    if states.empty:
        return [*out, f"{lead}\n"]
    names = list(dict.fromkeys(states["state"].astype(str)))
    counts: dict[str, dict[str, int]] = {}  # team -> state -> repositories, in the view's order
    for team, state, n in zip(
        states["team"].astype(str), states["state"].astype(str), states["repositories"], strict=True
    ):
        per_team = counts.setdefault(team, {})
        per_team[state] = per_team.get(state, 0) + int(n)
    rows = [(team, *(cell_text(per_team.get(s, 0)) for s in names)) for team, per_team in counts.items()]
    header = ["Team", *(s.capitalize() for s in names)]
    return [*out, f"{lead}\n", table(header, rows, [False] + [True] * len(names))]


def changes(report: Report) -> list[str]:
    title = "## Changes since " + (f"snapshot #{report.compare.id}" if report.compare else "the compared snapshot")
    out = [f"{title}\n"]
    if not report.agenda.compared:
        if report.compare is None:
            return [*out, "There is no earlier snapshot to compare with, so there are no changes to show.\n"]
        notice = (
            f"Compared with {snapshot_label(report.compare)}, but changes are judged against a standards file "
            "and none was given."
        )
        return [*out, f"{inline(notice)}\n"]
    if report.compare is not None:
        out.append(f"{inline(f'Compared with {snapshot_label(report.compare)}.')}\n")
    for key in ("improved", "regressed", "technologies", "repositories"):
        section = report.section(key)
        if section is not None:
            out += agenda_section(section, level=3)
    return out


def standing(report: Report, key: str, title: str) -> list[str]:
    section = report.section(key)
    if not report.judged or section is None:
        return [f"## {title}\n", f"{inline(NO_STANDARDS)}\n"]
    return agenda_section(section, level=2)


def agenda_section(section: agenda_.Section, *, level: int) -> list[str]:
    """A section of the meeting's agenda: its summary, then each table's first rows."""
    out = [f"{'#' * level} {inline(section.title)}\n", f"{inline(section.summary)}\n"]
    for part in section.tables:
        if part.title != section.title:
            out.append(f"{'#' * (level + 1)} {inline(part.title)}\n")
        if part.frame.empty:
            out.append(f"{inline(part.empty)}\n")
        else:
            out.append(frame_table(part.frame, [(str(c), c) for c in part.frame.columns], agenda_.ROWS_SHOWN))
    return out


def teams(report: Report) -> list[str]:
    """A row per team: its numbers, and the first of its repositories that need attention (lowest
    level first, as the team's appendix lists them)."""
    out = ["## Teams\n"]
    if not report.teams:
        return [*out, "No team has an active repository.\n"]
    rows = []
    for appendix in report.teams:
        head, repos = appendix.headline, appendix.repos
        if report.judged:
            share = MISSING if is_missing(head.share_passing) else f"{head.share_passing:.0%}"
            levels = ", ".join(
                f"{count:,} {level if level != NO_LEVEL else 'no level'}"
                for level, count in reversed(head.levels.items())
                if count
            )
            failing = repos[(repos["failing"] > 0) | (repos["errors"] > 0)] if len(repos) else repos
            rows.append((appendix.team, cell_text(head.repositories), share, cell_text(head.failing),
                         cell_text(head.waived), levels or MISSING, _names(failing["repo"])))  # fmt: skip
        else:
            rows.append((appendix.team, cell_text(head.repositories), cell_text(head.archived), _names(repos["repo"])))
    if report.judged:
        header = ["Team", "Active repositories", "Passing", "Failing findings", "Waived", "Levels", "Needs attention"]
        numeric = [False, True, True, True, True, False, False]
    else:
        header, numeric = ["Team", "Active repositories", "Archived", "Repositories"], [False, True, True, False]
    lead = "Needs attention: repositories with failing findings, lowest level first." if report.judged else ""
    return [*out, *([f"{lead}\n"] if lead else []), table(header, rows, numeric)]


def _names(repos: pd.Series) -> str:
    """The first `TEAM_REPOS_NAMED` repositories, `+N more`; an en dash when none."""
    names = [str(r) for r in repos.tolist()]
    shown = ", ".join(names[:TEAM_REPOS_NAMED])
    more = len(names) - TEAM_REPOS_NAMED
    return (shown + (f" +{more:,} more" if more > 0 else "")) or MISSING
