"""Repository: every fact the snapshot holds about one repository, and every finding about it.

Draws only: the facts come from `standards.repository_view` (cached per repository through
`common.derived`). The picked repository is in the address (`?repo=<name>`), so other pages link
here with `standards.repository_view.repository_link(name)`. A repository outside the sidebar's
filters still opens from a link (it is added to the picker and said so). Paths link to the file on
GitHub / GitHub Enterprise at the head the facts were read from, when the repository's URL is
there. Without a standards file the facts show and the findings tab says how to get findings.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages import common
from reports.charts.style import human_bytes
from standards.analysis import Filters
from standards.repository_view import (
    REPO_PARAM,
    dependencies_matching,
    repository_facts,
    repository_listing,
)

DEPS_TEXT_KEY = "repository_dependency_filter"
DEPS_ECOSYSTEM_KEY = "repository_dependency_ecosystems"
DEPS_SCOPE_KEY = "repository_dependency_scopes"
HIDE_NA_KEY = "repository_hide_not_applicable"
#: How a status reads in the findings table: a symbol and the word, never colour alone.
STATUS_LABELS = {
    "fail": "✗ fail",
    "error": "⚠ error",
    "waived": "◐ waived",
    "pass": "✓ pass",
    "not-applicable": "– not applicable",
}
BUILD_LABELS = {"green": "✓ green", "pending": "◔ pending", "red": "✗ red", "unknown": "? unknown"}
FILE_LINK_TEXT = r"/blob/[^/]+/(.*)$"


def _path_config(host_links: bool, label: str, path: str = "path") -> dict:
    """The path column as a link to the file on its host, or as plain text when there is none."""
    if host_links:
        return {path: None, "link": st.column_config.LinkColumn(label, display_text=FILE_LINK_TEXT)}
    return {path: st.column_config.TextColumn(label), "link": None}


def _table(frame, config: dict, empty: str) -> None:
    if frame.empty:
        st.caption(empty)
    else:
        order = [name for name, column in config.items() if column is not None]
        st.dataframe(frame, hide_index=True, column_order=order, column_config=config, placeholder="")


view = common.require_view()
shown = common.analysis(view)
whole = common.whole_analysis(view)

st.title("Repository")
options = shown.repos["repo"].tolist()
requested = st.query_params.get(REPO_PARAM)
known = set(whole.repos["repo"])
if requested and requested not in options and requested in known:
    options = sorted([*options, requested], key=str.casefold)  # a link to a repository the filters hide
repo = st.selectbox(
    "Repository",
    options=options,
    index=None,
    key=REPO_PARAM,
    bind="query-params",
    placeholder=f"Pick one of {len(options)} repositories (type to search)",
)
if requested and requested not in known:
    st.warning(f"No repository {requested!r} in snapshot {common.snapshot_label(view.snapshot)}.")

if repo is None:
    st.caption(f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()}")
    listing = common.derived(view, repository_listing, view.snapshot.id)
    st.dataframe(
        listing,
        hide_index=True,
        placeholder="–",
        column_order=["page", "team", "main_language", "level", "failing", "build", "archived"],
        column_config={
            "page": st.column_config.LinkColumn("Repository", display_text=r"repo=([^&]*)"),
            "team": st.column_config.TextColumn("Team"),
            "main_language": st.column_config.TextColumn("Main language"),
            "level": st.column_config.TextColumn("Level"),
            "failing": st.column_config.NumberColumn("Failing standards"),
            "build": st.column_config.TextColumn("Build"),
            "archived": st.column_config.CheckboxColumn("Archived"),
        },
    )
    st.stop()

if repo not in set(shown.repos["repo"]):
    st.caption(
        f"`{repo}` is outside the sidebar's filters ({view.filters.describe()}); shown because it was asked for."
    )
facts = common.derived(replace(view, filters=Filters(include_archived=True)), repository_facts, repo)
if facts is None:  # the snapshot changed under the picker
    st.warning(f"No repository {repo!r} in snapshot {common.snapshot_label(view.snapshot)}.")
    st.stop()
about = facts.about
findings = facts.findings
links = facts.host_links

# --- headline --------------------------------------------------------------------------------------------
st.header(repo, anchor=False)
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)}"
    + (" · **archived**" if about["archived"] else "")
    + (f" · [open on its host]({about['url']})" if about["url"] else "")
)
cells = st.columns([1.6, 1.4, 1.2, 1.2, 1])
cells[0].metric("Team", about["team"], help=f"Decided by {about['team_source']}", border=True)
cells[1].metric("Main language", about["main_language"] or "none", help="Most bytes of code", border=True)
cells[2].metric(
    "Level",
    (about["level"] or "none") if view.standards is not None else "—",
    help="The highest level whose standards all pass (needs a standards file)",
    border=True,
)
cells[3].metric(
    "Build",
    BUILD_LABELS.get(facts.build["state"], facts.build["state"]) if facts.build else "—",
    help=facts.build["reason"] if facts.build else "Not collected: build health comes from `guildboard collect github`",
    border=True,
)
failing = int((findings["status"] == "fail").sum())
cells[4].metric(
    "Failing",
    failing if view.standards is not None else "—",
    help=f"{int((findings['status'] == 'waived').sum())} more waived" if view.standards is not None else None,
    border=True,
)

# --- about and ownership -----------------------------------------------------------------------------
facts_col, team_col = st.columns(2, gap="large")
with facts_col:
    st.subheader("About", anchor=False)
    head = about["head"]
    lines = {
        "Default branch": f"`{about['default_branch']}`" if about["default_branch"] else "unknown",
        "Head": f"`{head[:12]}`" if head else "unknown",
        "Archived": "yes" if about["archived"] else "no",
        "Fork": "yes" if about["fork"] else "no",
        "Visibility": about["visibility"] or "not recorded",
        "Topics": ", ".join(f"`{t}`" for t in about["topics"]) or "none",
        "Last push": (about["pushed_at"] or "unknown").replace("T", " ")[:16],
        "URL": about["url"] or "none (local clone)",
    }
    st.markdown("\n".join(f"- **{k}:** {v}" for k, v in lines.items()))
with team_col:
    st.subheader("How the team was decided", anchor=False)
    st.dataframe(
        facts.team_candidates,
        hide_index=True,
        column_config={
            "source": st.column_config.TextColumn("Source"),
            "means": st.column_config.TextColumn("Read from"),
            "team": st.column_config.TextColumn("Team it names"),
            "decided": st.column_config.CheckboxColumn("Decided", help="The first source in the team order wins"),
        },
    )

# --- the facts, one tab per kind ------------------------------------------------------------------------
present = int(facts.hygiene["present"].sum())
tab_names = [
    f"Findings ({failing} failing)" if view.standards is not None else "Findings",
    "Languages and stack",
    f"Dependencies ({len(facts.dependencies)})",
    "CI and build",
    f"Hygiene ({present} of {len(facts.hygiene)})",
    f"Warnings ({len(facts.warnings)})",
]
t_findings, t_stack, t_deps, t_ci, t_hygiene, t_warnings = st.tabs(tab_names)

with t_findings:
    if view.standards is None:
        st.caption("Findings judge the repository by the guild's standards: they need a standards file.")
        common.standards_empty_state(view.guild)
    else:
        hide = st.checkbox("Hide standards that do not apply", value=True, key=HIDE_NA_KEY)
        rows = findings[findings["status"] != "not-applicable"] if hide else findings
        counts = findings["status"].value_counts()
        st.caption(" · ".join(f"{STATUS_LABELS[s]} {int(counts.get(s, 0))}" for s in STATUS_LABELS))
        _table(
            rows.assign(status=rows["status"].map(STATUS_LABELS).fillna(rows["status"])),
            {
                "status": st.column_config.TextColumn("Status"),
                "title": st.column_config.TextColumn("Standard", width="medium"),
                "standard": None,
                "level": st.column_config.TextColumn("Level"),
                "severity": st.column_config.TextColumn("Severity"),
                "detail": st.column_config.TextColumn("Detail", width="large"),
                **_path_config(links, "Evidence", "evidence"),
                "found": st.column_config.TextColumn("Found"),
                "target": st.column_config.TextColumn("Target"),
                "waiver": st.column_config.TextColumn("Waiver", help="Reason, approver and expiry"),
            },
            "No standard applies to this repository.",
        )

with t_stack:
    langs_col, techs_col = st.columns([2, 3], gap="large")
    with langs_col:
        st.subheader("Languages", anchor=False)
        counted = int(facts.languages.loc[facts.languages["counted"], "bytes"].sum())
        st.caption(f"{human_bytes(counted)} of code; data and prose files listed apart (no share)")
        _table(
            facts.languages.assign(kind=facts.languages["counted"].map({True: "code", False: "data or prose"})),
            {
                "language": st.column_config.TextColumn("Language"),
                "bytes": st.column_config.NumberColumn("Bytes", format="bytes"),
                "share": st.column_config.ProgressColumn(
                    "Share of the code", format="percent", min_value=0.0, max_value=1.0
                ),
                "counted": None,
                "kind": st.column_config.TextColumn("Kind"),
            },
            "No language found.",
        )
        st.subheader("Runtimes", anchor=False)
        _table(
            facts.runtimes,
            {
                "runtime": st.column_config.TextColumn("Runtime"),
                "version": st.column_config.TextColumn("Version"),
                **_path_config(links, "Declared in", "evidence"),
            },
            "No runtime version declared.",
        )
    with techs_col:
        st.subheader("Technologies", anchor=False)
        if view.standards is None:
            st.caption("Rings need a standards file (its radar).")
        _table(
            facts.technologies,
            {
                "technology": st.column_config.TextColumn("Technology"),
                "category": st.column_config.TextColumn("Category"),
                "version": st.column_config.TextColumn("Version"),
                "ring": st.column_config.TextColumn("Ring", help="On the guild's radar; unreviewed: not on it")
                if view.standards is not None
                else None,
                **_path_config(links, "Found in", "evidence"),
            },
            "No technology found.",
        )
        st.subheader("Docker images", anchor=False)
        _table(
            facts.docker_images,
            {
                "image": st.column_config.TextColumn("Image"),
                "tag": st.column_config.TextColumn("Tag"),
                "digest": st.column_config.TextColumn("Digest"),
                "stage": st.column_config.TextColumn("Stage"),
                **_path_config(links, "File"),
            },
            "No Docker image used.",
        )

with t_deps:
    deps = facts.dependencies
    text_col, eco_col, scope_col = st.columns([2, 1, 1])
    text = text_col.text_input("Filter", key=DEPS_TEXT_KEY, placeholder="Part of a package or manifest name")
    ecosystems = eco_col.multiselect("Ecosystems", sorted(set(deps["ecosystem"])), key=DEPS_ECOSYSTEM_KEY,
                                     placeholder="All")  # fmt: skip
    scopes = scope_col.multiselect("Scopes", sorted(set(deps["scope"])), key=DEPS_SCOPE_KEY, placeholder="All")
    matching = dependencies_matching(deps, text, tuple(ecosystems), tuple(scopes))
    st.caption(f"{len(matching)} of {len(deps)} declarations")
    _table(
        matching,
        {
            "ecosystem": st.column_config.TextColumn("Ecosystem"),
            "name": st.column_config.TextColumn("Package"),
            "declared": st.column_config.TextColumn("Declared", help="As written in the manifest"),
            "resolved": st.column_config.TextColumn("Resolved", help="From a lock file"),
            "scope": st.column_config.TextColumn("Scope"),
            **_path_config(links, "Manifest", "manifest"),
        },
        "No dependency declared." if deps.empty else "No dependency matches the filter.",
    )

with t_ci:
    build_col, files_col = st.columns([3, 2], gap="large")
    with build_col:
        st.subheader("Build health", anchor=False)
        if facts.build is None:
            st.caption("Not collected: build health comes from `guildboard collect github`.")
        else:
            checked = (facts.build["checked_at"] or "").replace("T", " ")[:16]
            st.markdown(
                f"**{BUILD_LABELS.get(facts.build['state'], facts.build['state'])}**: {facts.build['reason']}"
                + (f"  \nchecked {checked} UTC" if checked else "")
            )
            _table(
                facts.workflows.assign(median_min=facts.workflows["median_duration_s"] / 60),
                {
                    "workflow": st.column_config.TextColumn("Workflow"),
                    "latest_conclusion": st.column_config.TextColumn("Latest run", help="Empty: still running"),
                    "success_rate": st.column_config.ProgressColumn(
                        "Success rate", format="percent", min_value=0.0, max_value=1.0
                    ),
                    "median_duration_s": None,
                    "median_min": st.column_config.NumberColumn("Median duration", format="%.1f min"),
                    "last_success_at": st.column_config.DatetimeColumn("Last green", format="YYYY-MM-DD HH:mm"),
                    "latest_at": st.column_config.DatetimeColumn("Latest run at", format="YYYY-MM-DD HH:mm"),
                    "runs": st.column_config.NumberColumn("Runs looked at"),
                    **_path_config(links, "File"),
                },
                "No GitHub Actions run on the default branch.",
            )
            st.markdown("**Checks on the head commit**")
            _table(
                facts.checks,
                {
                    "name": st.column_config.TextColumn("Check"),
                    "kind": st.column_config.TextColumn("Kind"),
                    "app": st.column_config.TextColumn("Reported by"),
                    "state": st.column_config.TextColumn("State"),
                },
                "No check reported on the head commit.",
            )
    with files_col:
        st.subheader("CI files", anchor=False)
        _table(
            facts.ci_files,
            {"provider": st.column_config.TextColumn("Provider"), **_path_config(links, "File")},
            "No CI configuration found.",
        )
        st.subheader("GitHub Actions", anchor=False)
        _table(
            facts.actions,
            {
                "action": st.column_config.TextColumn("Action"),
                "pinned": st.column_config.TextColumn("Pinned to"),
                "ref": st.column_config.TextColumn("Version"),
                **_path_config(links, "Workflow"),
            },
            "No action used.",
        )

with t_hygiene:
    hygiene = facts.hygiene.assign(state=facts.hygiene["present"].map({True: "✓ present", False: "✗ missing"}))
    _table(
        hygiene,
        {
            "item": st.column_config.TextColumn("Item"),
            "present": None,
            "state": st.column_config.TextColumn("Present"),
            **_path_config(links, "Found at"),
            "detail": st.column_config.TextColumn("Detail"),
        },
        "No hygiene items recorded.",
    )

with t_warnings:
    _table(
        facts.warnings,
        {**_path_config(links, "File"), "message": st.column_config.TextColumn("Problem", width="large")},
        "The collection read every file it wanted.",
    )
