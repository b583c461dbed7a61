import marimo

__generated_with = "0.25.2"
app = marimo.App(width="full", app_title="omie-push: preview the next run")


@app.cell
def _():
    import json

    import marimo as mo
    import polars as pl

    from omie_push.errors import OmiePushError
    from omie_push.review import preview, source
    return OmiePushError, json, mo, pl, preview, source


@app.cell
def _(OmiePushError, mo, preview, source):
    # The dbt project: `-- --project-dir DIR`, else $OMIE_PUSH_PROJECT_DIR, else the current
    # folder or ./dbt_project, else the sample project beside this notebook.
    _given = mo.cli_args().get("project-dir")
    _problem = None
    try:
        project_dir = source.project_dir_of(_given or source.default_project(mo.notebook_dir()))
        views = preview.views_of(project_dir)
    except OmiePushError as _error:
        project_dir, views, _problem = None, [], str(_error)
    if _problem is not None:
        mo.stop(True, mo.callout(mo.md(f"# omie-push: preview\n\n{_problem}"), kind="danger"))
    return project_dir, views


@app.cell
def _(mo, views):
    _wanted = mo.cli_args().get("view") or "omie_clientes"
    view_pick = mo.ui.dropdown(views, value=_wanted if _wanted in views else views[0],
                               label="endpoint view")
    refresh_pick = mo.ui.checkbox(label="--full-refresh (send every upsert again)")
    live_pick = mo.ui.checkbox(label="--live (read Omie's records: paced calls, counted in the plan)")
    mo.vstack([
        mo.md("# omie-push: preview the next run\n\nPick a view: this runs the push's own "
              "dry run (`omie-push --dry-run --select VIEW`): validation, diff against the "
              "ledger and the estimate, with no Omie call. The dry run is recorded in the "
              "results as such, like the command's."),
        mo.hstack([view_pick, refresh_pick, live_pick], justify="start"),
    ])
    return live_pick, refresh_pick, view_pick


@app.cell
def _(OmiePushError, live_pick, mo, preview, project_dir, refresh_pick, view_pick):
    _problem = None
    try:
        plan = preview.plan_view(view_pick.value, project_dir, full_refresh=refresh_pick.value,
                                 live=live_pick.value)
    except OmiePushError as _error:
        plan, _problem = None, str(_error)
    if _problem is not None:
        mo.stop(True, mo.callout(mo.md(_problem), kind="danger"))
    return (plan,)


@app.cell
def _(mo, plan):
    _ep = next(e for e in plan.report.endpoints if e.view == plan.view)
    _seconds = "" if _ep.seconds is None else f", about {_ep.seconds:.1f} s"
    _rows = f"{_ep.to_send} row{'s' * (_ep.to_send != 1)}"
    _calls = f"{_ep.calls or 0} call{'s' * ((_ep.calls or 0) != 1)}"
    mo.vstack([
        mo.md(f"## The plan for `{plan.view}`\n\nDry run `{plan.run_id}`: **{_rows} to send "
              f"in {_calls}{_seconds}** at the target's pace."
              + (f"\n\n**Not pushed:** {plan.error}" if plan.error else "")),
        mo.ui.table(plan.table(), selection=None, label="new, changed, unchanged, rejected, held"),
    ])
    return


@app.cell
def _(mo, plan):
    _live = plan.live()
    if _live is None:
        _body = mo.md("_Tick --live to read Omie's current records: per row create or update, "
                      "and the fields that change, Omie's value -> the warehouse's._")
    elif not _live.height:
        _body = mo.md("_Nothing to send._")
    else:
        _body = mo.ui.table(_live, selection=None,
                            label="per row: create or update; for updates each field, old -> new")
    mo.vstack([mo.md("## What Omie holds now (--live)"), _body])
    return


@app.cell
def _(mo, pl, plan):
    _read = plan.rows.filter(pl.col("view") == plan.view).height
    _rejected = plan.rejected()
    _by_rule = (_rejected.group_by("expectation", "field").len("rows").sort("rows", descending=True)
                if _rejected.height else _rejected)
    mo.vstack([
        mo.md(f"## Validation\n\n{_read} rows of `{plan.view}` read; "
              f"{_rejected['key'].n_unique()} rejected (never sent)."),
        mo.ui.table(_rejected, selection=None, label="rejected rows with their reasons")
        if _rejected.height else mo.md("_Every row passes the view's suite._"),
        mo.ui.table(_by_rule, selection=None, label="rejections per expectation")
        if _rejected.height else mo.md(""),
    ])
    return


@app.cell
def _(mo, pl, plan):
    _order = {"changed": 0, "new": 1, "unchanged": 2, "held": 3}
    _rows = plan.rows.filter(pl.col("status") != "rejected").select("view", "key", "change", "why")
    _choices = {f"{r['key']} ({r['change']}, {r['view']})": (r["view"], r["key"])
                for r in sorted(_rows.iter_rows(named=True),
                                key=lambda r: (_order.get(r["change"], 9), str(r["key"])))}
    row_pick = mo.ui.dropdown(_choices, value=next(iter(_choices), None), label="row",
                              searchable=True)
    mo.vstack([mo.md("## One row, as it would be sent"), row_pick]) if _choices \
        else mo.md("## One row, as it would be sent\n\n_No row to show._")
    return (row_pick,)


@app.cell
def _(json, mo, plan, preview, row_pick):
    mo.stop(row_pick.value is None)
    _view, _key = row_pick.value
    to_send, accepted = plan.payload(_view, _key)
    if to_send is not None:
        _what = "The payload exactly as this run would send it (`param[0]` of the call):"
        _shown = to_send
    elif accepted is not None:
        _what = ("Unchanged: Omie already accepted exactly this payload (same hash), so the "
                 "run sends nothing. The payload Omie accepted:")
        _shown = accepted
    else:
        _what, _shown = ("No payload: the row is held or was never built, or it is past the "
                         "rows a dry run keeps the payloads of (the first 10,000 to send per "
                         "view; its note says so).", {})
    diff = preview.compare(accepted, to_send) if to_send is not None else preview.compare(None, None)
    mo.vstack([
        mo.md(f"`{_view}` / `{_key}`. {_what}"),
        mo.md(f"```json\n{json.dumps(_shown, indent=2, ensure_ascii=False)}\n```"),
    ])
    return accepted, diff, to_send


@app.cell
def _(accepted, diff, mo, pl, to_send):
    if to_send is None:
        _body = mo.md("_Nothing to compare: the row is not sent._")
    elif accepted is None:
        _body = mo.md("_New to Omie: no payload was accepted for this key yet._")
    else:
        _changes = diff.filter(pl.col("change") != "same")
        _body = mo.ui.table(_changes, selection=None, label="fields that differ") \
            if _changes.height else mo.md("_Same fields and values as accepted._")
    mo.vstack([mo.md("## Against what Omie last accepted for this key"), _body])
    return


if __name__ == "__main__":
    app.run()
