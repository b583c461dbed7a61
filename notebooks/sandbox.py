import marimo

__generated_with = "0.25.2"
app = marimo.App(width="full", app_title="omie-push: what the Omie sandbox holds")


@app.cell
def _():
    import marimo as mo
    from omie_push.errors import OmiePushError
    from omie_push.review import sandbox_state, source, tables
    return OmiePushError, mo, sandbox_state, source, tables


@app.cell
def _(OmiePushError, mo, sandbox_state, source):
    # The dbt project: `-- --project-dir DIR`, else $OMIE_PUSH_PROJECT_DIR, else the current
    # folder or ./dbt_project, else the sample project beside this notebook; the target:
    # `-- --target NAME`, else omie_push.yml's default.
    _given = mo.cli_args().get("project-dir")
    _problem = None
    try:
        project_dir = source.project_dir_of(_given or source.default_project(mo.notebook_dir()))
        state = sandbox_state.of_target(project_dir, mo.cli_args().get("target"))
    except OmiePushError as _error:
        project_dir, state, _problem = None, None, str(_error)
    if _problem is None and state is None:
        _problem = ("The target is not the embedded Omie sandbox (`base_url: embedded`): "
                    "pass `-- --target NAME` for one that is.")
    if _problem is None and not state.exists:
        _problem = (f"The sandbox holds nothing yet: {state.path} does not exist. Run "
                    f"`omie-push` against target `{state.target}` first.")
    if _problem is not None:
        mo.stop(True, mo.callout(mo.md(f"# omie-push: the Omie sandbox\n\n{_problem}"), kind="warn"))
    return project_dir, state


@app.cell
def _(mo):
    reread = mo.ui.button(label="Read the sandbox again", value=0, on_click=lambda n: (n or 0) + 1)
    return (reread,)


@app.cell
def _(mo, reread, sandbox_state, state):
    reread.value
    kinds = sandbox_state.kinds(state)
    mo.vstack([
        mo.md(f"# omie-push: what the Omie sandbox holds\n\nTarget `{state.target}`, state "
              f"`{state.path}` (read-only: the sandbox keeps writing while this is open). "
              f"Every app key is its own Omie company; the target's is `{state.app_key}`."),
        reread,
        mo.md("## Records per company and kind"),
        mo.ui.table(kinds, selection=None, page_size=20, label="records per company and kind"),
    ])
    return (kinds,)


@app.cell
def _(mo, project_dir, sandbox_state, source, state, tables):
    _ledger = tables.snapshot(source.locate(project_dir), last=0).ledger
    _checked = sandbox_state.ids_in_sandbox(state, _ledger)
    mo.vstack([
        mo.md("## The push's effect, from both sides\n\nPer endpoint, the Omie ids the "
              "results' ledger holds for this company, and how many of them the sandbox has."),
        mo.ui.table(_checked, selection=None, label="ledger ids found in the sandbox")
        if _checked.height else mo.md("_The ledger holds no id for this company yet._"),
    ])
    return


@app.cell
def _(kinds, mo, state):
    _companies = sorted(kinds["company"].unique().to_list()) or [state.app_key]
    company_pick = mo.ui.dropdown(_companies, label="company (app key)",
                                  value=state.app_key if state.app_key in _companies else _companies[0])
    _kinds = sorted(kinds["kind"].unique().to_list())
    kind_pick = mo.ui.dropdown(_kinds or ["cliente"], label="record kind",
                               value="cliente" if "cliente" in _kinds else (_kinds or ["cliente"])[0])
    mo.vstack([mo.md("## The records of one kind"), mo.hstack([company_pick, kind_pick],
                                                              justify="start")])
    return company_pick, kind_pick


@app.cell
def _(company_pick, kind_pick, mo, reread, sandbox_state, state):
    reread.value
    _records = sandbox_state.records(state, company_pick.value, kind_pick.value)
    mo.vstack([
        mo.md(f"{_records.height} `{kind_pick.value}` records of company `{company_pick.value}`, "
              f"as the sandbox would list them (nested fields as JSON)."),
        mo.ui.table(_records, selection=None, page_size=15, label="records"),
    ])
    return


if __name__ == "__main__":
    app.run()
