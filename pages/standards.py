"""Standards: what the guild agreed, why, who answers for it, and how the repositories meet it now;
the waivers with their expiry. When the standards file is rejected, its problems, one per row.

Draws only: the frames come from `standards.guild` (through `common.derived`, cached), the figure
from `reports.charts.compliance`. A click on a standard's bar, or the picker (bound to the address:
`?standards_standard=readme`), opens that standard's detail with the repositories failing it.
"""

from __future__ import annotations

import math

import streamlit as st

from pages import common
from reports.charts import compliance as charts
from standards import guild as guild_

STANDARD_KEY = "standards_standard"
_REV_KEY = "standards_chart_rev"
_SEEN_BAR = "standards_clicked_bar"

#: Pixels per row of a table (Streamlit's default), to show a table whole.
ROW_HEIGHT = 35


def _forget_chart_clicks() -> None:
    """A pick in the list clears the chart's selection (its key changes), so no bar stays highlighted."""
    st.session_state[_REV_KEY] = st.session_state.get(_REV_KEY, 0) + 1
    st.session_state[_SEEN_BAR] = None


def _percent(share: float) -> str:
    return "n/a" if math.isnan(share) else charts.percent(share)


def _review(row: dict) -> str:
    days = int(row["review_in_days"])
    if days < 0:
        return f"**{row['review_by']:%Y-%m-%d}: review overdue by {-days} days**"
    if days == 0:
        return f"**{row['review_by']:%Y-%m-%d}: review due today**"
    return f"{row['review_by']:%Y-%m-%d} (in {days} days)"


view = common.require_view()
st.title("Standards")
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()} · judged on {view.today} (UTC)"
)

# --- a standards file with problems: list them, one per row --------------------------------------------
if view.guild.standards is None and view.guild.path is not None:
    problems = guild_.problem_table(view.guild.problem)
    count = len(problems)
    st.error(
        f"**The standards file cannot be used: {count} problem{'s' if count != 1 else ''}** in "
        f"`{view.guild.path}`. Every view that judges repositories by the standards waits until it is fixed; "
        "facts-only views still work.",
        icon=":material/error:",
    )
    st.dataframe(
        problems,
        hide_index=True,
        column_config={
            "location": st.column_config.TextColumn("File and line"),
            "path": st.column_config.TextColumn("Where in the file", help="e.g. standards[3].rule.max"),
            "message": st.column_config.TextColumn("Problem", width="large"),
        },
    )
    st.caption("Fix each problem in the file, save it, and reload this page. As text, to copy:")
    st.code(view.guild.problem or "", language="text")
    st.stop()
guild = common.require_standards(view)  # no file configured: says how to give one, and stops

table = common.derived(view, guild_.standards_table)
head = common.derived(view, guild_.guild_headline)

# --- headline -------------------------------------------------------------------------------------------
cells = st.columns(6)
cells[0].metric(
    "Standards",
    head.standards,
    help=" · ".join(f"{n} {lv}" for lv, n in head.per_level.items()),
    border=True,
)
cells[1].metric(
    "Share passing",
    _percent(head.share_passing),
    help=f"Of {head.applicable} applicable findings, over every standard; waived ones are not passing",
    border=True,
)
cells[2].metric("Waived findings", head.waived, help="Debt with a name and an expiry, not passing", border=True)
cells[3].metric("Reviews due", head.reviews_due, help="Standards whose review date is today or past", border=True)
cells[4].metric("Waivers", head.waivers, help="In the standards file", border=True)
cells[5].metric(
    "Expired waivers", head.waivers_expired, help="Past their last day: the findings fail again", border=True
)

# --- compliance per standard (a click opens the standard below) ------------------------------------------
rev = st.session_state.get(_REV_KEY, 0)
bars_event = st.plotly_chart(
    charts.compliance_by_standard(table),
    key=f"standards_bars_{rev}",
    on_select="rerun",
    selection_mode="points",
    alt="Pass, waived, fail and error shares of each standard's applicable findings",
)
clicked = common.team_from_selection(bars_event)  # the bar's first customdata item: here the standard
if clicked != st.session_state.get(_SEEN_BAR):
    st.session_state[_SEEN_BAR] = clicked
    if clicked is not None:
        st.session_state[STANDARD_KEY] = clicked

st.subheader("The guild's standards")
st.dataframe(
    table.assign(share_passing=table["share_passing"] * 100),  # a whole percentage reads at a distance
    hide_index=True,
    height=ROW_HEIGHT * (len(table) + 1) + 3,  # every standard at once, no inner scrolling
    column_order=["id", "title", "level", "severity", "kind", "share_passing", "waived", "failing_repos", "owner",
                  "review_by", "review_due", "rationale", "tradeoffs", "rule", "applies_to", "links"],
    column_config={
        "id": st.column_config.TextColumn("Id"),
        "title": st.column_config.TextColumn("Title"),
        "level": st.column_config.TextColumn("Level"),
        "severity": st.column_config.TextColumn("Severity"),
        "kind": st.column_config.TextColumn("Rule kind"),
        "share_passing": st.column_config.ProgressColumn(
            "Passing", format="%.0f%%", min_value=0, max_value=100,
            help="Share of applicable findings that pass (waived is not passing); empty when nothing applies"),
        "waived": st.column_config.NumberColumn("Waived", help="Findings waived"),
        "failing_repos": st.column_config.NumberColumn("Failing repos", help="Repositories failing it"),
        "owner": st.column_config.TextColumn("Owner"),
        "review_by": st.column_config.DateColumn("Review by"),
        "review_due": st.column_config.CheckboxColumn("Review due", help="The review date is today or past"),
        "rationale": st.column_config.TextColumn("Rationale", width="large"),
        "tradeoffs": st.column_config.TextColumn("Tradeoffs", width="medium"),
        "rule": st.column_config.TextColumn("Rule", width="medium"),
        "applies_to": st.column_config.TextColumn("Applies to"),
        "links": st.column_config.ListColumn("Links"),
    },
)  # fmt: skip

# --- one standard ----------------------------------------------------------------------------------------
st.subheader("One standard")
options = table["id"].tolist()
if st.session_state.get(STANDARD_KEY) not in (None, *options):
    st.session_state[STANDARD_KEY] = None
chosen = st.selectbox(
    "Standard",
    options=options,
    index=None,
    key=STANDARD_KEY,
    bind="query-params",
    placeholder="Pick a standard (or click its bar) for its reasons and the repositories failing it",
    on_change=_forget_chart_clicks,
)
if chosen is not None:
    row = table.set_index("id").loc[chosen].to_dict()
    with st.expander(f"**{chosen}** · {row['title']}", expanded=True, icon=":material/rule:"):
        cells = st.columns(4)
        cells[0].metric("Share passing", _percent(row["share_passing"]),
                        help=f"Of {row['applicable']} applicable findings", border=True)  # fmt: skip
        cells[1].metric("Failing repositories", row["failing_repos"], border=True)
        cells[2].metric("Waived", row["waived"], help="Findings waived: not passing", border=True)
        cells[3].metric("Errors", row["error"], help="Repositories the rule could not judge", border=True)
        st.markdown(
            f"**Level** {row['level']} · **severity** {row['severity']} · **owner** {row['owner']} · "
            f"**review** {_review(row)}"
        )
        st.markdown(f"**Rule** `{row['kind']}`: {row['rule']}  \n**Applies to** {row['applies_to']}")
        st.markdown(f"**Why (rationale).** {row['rationale']}")
        st.markdown(f"**What it costs (tradeoffs).** {row['tradeoffs'] or 'none written down'}")
        if row["links"]:
            st.markdown("**Links** " + " · ".join(f"[{link}]({link})" for link in row["links"]))
        findings = common.derived(view, guild_.standard_findings, chosen)
        if findings.empty:
            st.success("No repository fails it, is waived or errs.", icon=":material/check_circle:")
        else:
            st.dataframe(
                findings,
                hide_index=True,
                column_config={
                    "repo": st.column_config.TextColumn("Repository"),
                    "team": st.column_config.TextColumn("Team"),
                    "status": st.column_config.TextColumn("Status"),
                    "detail": st.column_config.TextColumn("What was found", width="large"),
                    "evidence": st.column_config.TextColumn("Evidence"),
                    "found": st.column_config.TextColumn("Found"),
                    "target": st.column_config.TextColumn("Target"),
                    "waiver_reason": st.column_config.TextColumn("Waiver reason"),
                    "waiver_approver": st.column_config.TextColumn("Approved by"),
                    "waiver_expires": st.column_config.DateColumn("Waiver expires"),
                    "waiver_expired": st.column_config.CheckboxColumn("Waiver expired"),
                },
            )

# --- waivers ---------------------------------------------------------------------------------------------
st.subheader("Waivers", help="Expired first, then the soonest to expire")
waivers = common.derived(view, guild_.waivers_table)
if waivers.empty:
    st.caption("The standards file grants no waivers.")
else:
    common.waivers_table(waivers, findings_help="Findings it covers: waived while it holds, failing once expired")
