"""The one read layer of the results for people: the notebooks and `omie-push runs | show`.

It finds the results file from the same configuration as the push (omie_push.yml's
`results_path`), opens it read-only and closes it at once (an open DuckDB reader would lock
`dbt build` and `omie-push` out), and is the only code that knows the results tables' shapes
for people: when the store changes (a journal, results per company, a drift table), this
package changes and its readers do not.

    source.py         where the results are; open read-only, read, close; "no run yet"
    tables.py         the SQL of the tables: a `Snapshot` of runs, row results and the ledger
    history.py        runs with their totals; counts per endpoint and status over runs
    problems.py       rejected rows with their reasons, Omie's faults by kind, repeat failures
    pace.py           calls spent per method and the run's pace against Omie's budget
    preview.py        the next run's plan (the push's own dry run) and payload diffs
    sandbox_state.py  what the embedded Omie sandbox holds, per company and record kind
    charts.py         the notebooks' charts (Altair)
    listing.py        what `omie-push runs` and `omie-push show` print
"""
