"""The review's two charts, in Altair (Vega-Lite: marimo shows it, and `marimo export html`
keeps it): rows by status over runs, and a run's pace against Omie's 240 calls/min line."""
from __future__ import annotations

from .pace import PER_METHOD

# One colour per status, the same in every chart.
STATUS_COLOURS = {"sent": "#2e7d32", "unchanged": "#9e9e9e", "rejected": "#c62828",
                  "failed": "#ef6c00", "held": "#6a1b9a", "not_attempted": "#1565c0"}


def counts_over_runs(long, view: str | None = None):
    """Stacked bars: per run (oldest left), its rows by status (one view, or all)."""
    import altair as alt
    import polars as pl

    data = long if view is None else long.filter(pl.col("view") == view)
    data = (data.group_by("run_id", "started_at", "status").agg(pl.col("rows").sum())
            .with_columns(run=pl.col("started_at").dt.strftime("%m-%d %H:%M:%S")))
    order = data.sort("started_at")["run"].unique(maintain_order=True).to_list()
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("run:N", sort=order, title="run (started, UTC)"),
        y=alt.Y("rows:Q", title="rows"),
        color=alt.Color("status:N", scale=alt.Scale(domain=list(STATUS_COLOURS),
                                                    range=list(STATUS_COLOURS.values()))),
        tooltip=["run_id", "status", "rows"],
    ).properties(title=f"Rows by status over runs: {view or 'every view'}", width="container",
                 height=220)


def pace(series, budget: int = PER_METHOD):
    """Lines: calls of the trailing 60 s per method over the run's seconds, and the budget."""
    import altair as alt
    import polars as pl

    lines = alt.Chart(series).mark_line(point=True, interpolate="step-after").encode(
        x=alt.X("seconds:Q", title="seconds since the run started"),
        y=alt.Y("per_minute:Q", title="calls in the last 60 s",
                scale=alt.Scale(domain=[0, max(budget, int(series["per_minute"].max() or 0)) * 1.1])),
        color=alt.Color("method:N"), tooltip=["method", "seconds", "per_minute"])
    line = alt.Chart(pl.DataFrame({"budget": [budget]})).mark_rule(
        color="#c62828", strokeDash=[6, 4]).encode(y="budget:Q")
    label = alt.Chart(pl.DataFrame({"budget": [budget], "text": [f"Omie: {budget}/min per method"]})
                      ).mark_text(align="left", dx=4, dy=-6, color="#c62828").encode(
        y="budget:Q", text="text:N", x=alt.value(0))
    return (lines + line + label).properties(title="The run's pace against Omie's budget",
                                             width="container", height=220)
