import marimo

__generated_with = "0.25.2"
app = marimo.App(width="full", app_title="omie-push: review a run")


@app.cell
def _():
    import marimo as mo
    import polars as pl

    from omie_push.push.report import STATUSES
    from omie_push.review import charts, drift, history, pace, problems, source, tables
    return STATUSES, charts, drift, history, mo, pace, pl, problems, source, tables


@app.cell
def _(mo, source):
    # The dbt project: `-- --project-dir DIR`, else $OMIE_PUSH_PROJECT_DIR, else the current
    # folder or ./dbt_project, else the sample project beside this notebook.
    _given = mo.cli_args().get("project-dir")
    _problem = None
    try:
        results = source.locate(_given or source.default_project(mo.notebook_dir()))
    except source.ProjectError as _error:
        results, _problem = None, str(_error)
    if _problem is not None:
        mo.stop(True, mo.callout(mo.md(f"# omie-push: review\n\n{_problem}"), kind="danger"))
    return (results,)


@app.cell
def _(mo):
    reread = mo.ui.button(label="Read the results again", value=0,
                          on_click=lambda n: (n or 0) + 1)
    return (reread,)


@app.cell
def _(mo, reread, results, source, tables):
    reread.value
    try:
        snap = tables.snapshot(results)
    except source.ResultsBusy as _busy:
        snap = None
        _problem = str(_busy)
    else:
        _problem = snap.message() if snap.empty else None
    if _problem is not None:
        mo.stop(True, mo.vstack([mo.md("# omie-push: review"),
                                 mo.callout(mo.md(_problem), kind="warn"), reread]))
    return (snap,)


@app.cell
def _(history, mo, reread, snap):
    _last_id = snap.last_run_id() or snap.last_run_id(dry_run=True)
    last = snap.run(_last_id)
    _totals = history.totals_of(last)
    _seconds = "" if last["duration_seconds"] is None else f"{last['duration_seconds']:.1f} s"
    _runs = f"{snap.runs.height} run{'s' * (snap.runs.height != 1)}"
    _started = f"{last['started_at']:%Y-%m-%d %H:%M:%S} UTC" if last["started_at"] else "(no start time)"
    mo.vstack([
        mo.md(f"# omie-push: review\n\nResults: `{snap.path}` (read {snap.read_at:%H:%M:%S} "
              f"UTC, {_runs}). Reading opens the file read-only and closes it at once: "
              f"`dbt build` and `omie-push` are never locked out."),
        reread,
        mo.md(f"## Last run\n\n`{last['run_id']}` on target **{last['target']}** (company "
              f"`{last['company']}`), started {_started}"
              f"{', dry run' if last['dry_run'] else ''}: **{last['outcome']}** "
              f"(exit {last['exit_code']}) {_seconds}"),
        mo.hstack([mo.stat(value=str(n), label=s.replace("_", " ")) for s, n in _totals.items()],
                  justify="start"),
    ])
    return (last,)


@app.cell
def _(STATUSES, last, mo, snap):
    _runs = {f"{r['run_id']} ({r['outcome']}{', dry run' if r['dry_run'] else ''})": r["run_id"]
             for r in snap.runs.head(len(snap.run_ids)).iter_rows(named=True)}
    run_pick = mo.ui.dropdown(_runs, value=next(k for k, v in _runs.items() if v == last["run_id"]),
                              label="run")
    view_pick = mo.ui.dropdown(["every view", *sorted(snap.rows["view"].unique().to_list())],
                               value="every view", label="endpoint view")
    status_pick = mo.ui.dropdown(["every status", *STATUSES], value="every status", label="status")
    mo.vstack([mo.md("## Filters"), mo.hstack([run_pick, view_pick, status_pick], justify="start")])
    return run_pick, status_pick, view_pick


@app.cell
def _(pl, run_pick, snap, status_pick, view_pick):
    run_id = run_pick.value
    view = None if view_pick.value == "every view" else view_pick.value
    status = None if status_pick.value == "every status" else status_pick.value
    run_rows = snap.rows_of(run_id)
    if view:
        run_rows = run_rows.filter(pl.col("view") == view)
    return run_id, run_rows, status, view


@app.cell
def _(charts, history, mo, pl, run_id, snap, status, view):
    _counts = history.view_counts(snap, run_id)
    if view:
        _counts = _counts.filter(pl.col("view") == view)
    if status:
        _counts = _counts.filter(pl.col(status) > 0).select("view", status, "problem")
    mo.vstack([
        mo.md(f"## Counts per view and status\n\nRun `{run_id}`."),
        mo.ui.table(_counts, selection=None, page_size=20, label="counts per view"),
        charts.counts_over_runs(history.counts_over_runs(snap), view),
    ])
    return


@app.cell
def _(mo, problems, run_rows, view):
    _rejected = problems.rejected_rows(run_rows, view)
    mo.vstack([
        mo.md(f"## Rejected rows ({_rejected['key'].n_unique()})\n\nRefused by validation "
              f"before any call: the expectation, the field, the value and the reason. Fix "
              f"the model or its source, `dbt build`, `omie-push`."),
        mo.ui.table(_rejected, selection=None, page_size=20, label="rejected rows")
        if _rejected.height else mo.md("_No row was rejected._"),
    ])
    return


@app.cell
def _(mo, problems, run_rows, view):
    _faults = problems.faults_by_kind(run_rows, view)
    mo.vstack([
        mo.md("## Omie's faults, by kind\n\nRows Omie refused (or that got no answer), "
              "grouped by what the fault means, with Omie's own text and what to do."),
        mo.ui.table(_faults, selection=None, page_size=10, label="faults by kind")
        if _faults.height else mo.md("_Omie refused no row in this run._"),
    ])
    return


@app.cell
def _(mo, pl, problems, snap, view):
    _repeats = problems.repeat_failures(snap)
    if view:
        _repeats = _repeats.filter(pl.col("view") == view)
    mo.vstack([
        mo.md("## Rows that failed on several runs in a row\n\nRejected, failed, held or not "
              "attempted on each of their latest runs: they will not go through by "
              "themselves."),
        mo.ui.table(_repeats, selection=None, page_size=10, label="repeat failures")
        if _repeats.height else mo.md("_No row failed twice in a row._"),
    ])
    return


@app.cell
def _(mo, pl, problems, run_id, snap, view):
    _granted = problems.omie_ids(snap, run_id, view)
    _ledger = problems.omie_ids(snap)
    if view:
        _ledger = _ledger.filter(pl.col("endpoint") == snap.rows.filter(
            pl.col("view") == view)["endpoint"].first())
    mo.vstack([
        mo.md(f"## Omie ids written back\n\n{_granted.height} granted in this run; the "
              f"ledger holds {_ledger.height} (dbt's `omie_ids` model reads them)."),
        mo.ui.tabs({
            "granted in this run": mo.ui.table(_granted, selection=None, page_size=10),
            "every id in the ledger": mo.ui.table(_ledger, selection=None, page_size=10),
        }),
    ])
    return


@app.cell
def _(charts, mo, pace, run_id, snap):
    _run = snap.run(run_id)
    _rows = snap.rows_of(run_id)
    _budget = pace.budget(_rows, _run["started_at"])
    _series = pace.pace(_rows, _run["started_at"])
    mo.vstack([
        mo.md(f"## Calls spent against Omie's budget\n\n{int(_budget['calls'].sum() or 0)} write "
              f"calls in this run, counted from its row results (a lot is one call; look-ups "
              f"are not recorded). Omie allows {pace.PER_METHOD} calls a minute per method and "
              f"{pace.PER_IP} per IP."),
        mo.ui.table(_budget, selection=None, page_size=12, label="calls per method")
        if _budget.height else mo.md("_No call was made in this run._"),
        charts.pace(_series) if _series.height else mo.md(""),
    ])
    return


@app.cell
def _(mo, pl, problems, run_rows, status):
    _rows = problems.with_why(run_rows)
    if status:
        _rows = _rows.filter(pl.col("status") == status)
    _rows = _rows.select("view", "key", "status", "why", "omie_id", "omie_status", "attempts",
                         "recorded_at")
    mo.vstack([mo.md(f"## Rows of the run ({_rows.height})"),
               mo.ui.table(_rows, selection=None, page_size=15, label="rows")])
    return


@app.cell
def _(history, mo, snap):
    mo.vstack([mo.md("## History of runs"),
               mo.ui.table(history.runs_table(snap), selection=None, page_size=10,
                           label="every run, newest first (dry runs marked)")])
    return


@app.cell
def _(drift, mo, reread, results):
    reread.value
    _open = drift.drift_frame(results)
    _every = drift.drift_frame(results, every=True)
    _shown = _open.select("endpoint", "key", "field", "our_value", "omie_value", "changed_by",
                          "changed_at", "status", "found_at")
    mo.vstack([
        mo.md(f"## Drift: fields changed in Omie\n\nFields omie-push sent that someone changed "
              f"in Omie's screens (not through the API), found by each run's check: "
              f"{_shown['key'].n_unique()} record(s) unresolved, {_every.height} field(s) ever "
              f"found. Resolve one with `omie-push drift --accept KEY` (Omie's value stands) or "
              f"`--overwrite KEY` (the next push sends the warehouse's); the view's "
              f"`meta.omie.drift` (report, hold, overwrite) says what a push does meanwhile."),
        mo.ui.table(_shown, selection=None, page_size=10, label="unresolved drift")
        if _shown.height else mo.md("_No unresolved drift._"),
    ])
    return


if __name__ == "__main__":
    app.run()
