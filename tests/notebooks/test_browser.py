"""The review notebook as a person sees it: served by `marimo run` on 127.0.0.1 and opened in
headless Chromium. The counts table and the rejected rows are on the page, no cell shows an
error, and with the page open `dbt build` and `omie-push` still write the results file.

The screenshot in the README comes from the first test: set OMIE_PUSH_SCREENSHOT to the path
to write it to (docs/review.md says how)."""
from __future__ import annotations

import json
import os
import re
import shutil

import duckdb

from .conftest import NOTEBOOKS, copy_of, dbt_build, marimo_run, omie_push

REVIEW = NOTEBOOKS / "review.py"
STATUSES = ["sent", "unchanged", "rejected", "failed", "held", "not_attempted"]


def last_run(project):
    con = duckdb.connect(str(project / "omie_results.duckdb"), read_only=True)
    try:
        run_id, counts = con.execute("select run_id, counts::varchar from runs where not dry_run "
                                     "order by started_at desc limit 1").fetchone()
        rejected = con.execute("select key, reasons::varchar from row_results "
                               "where run_id = ? and status = 'rejected'", [run_id]).fetchall()
    finally:
        con.close()
    return run_id, json.loads(counts), rejected


def open_page(browser, server):
    """The page once every cell has shown its output; the kernel's messages are kept, so a
    cell's error (marimo sends it as output on the `marimo-error` channel) can be seen even
    where `marimo run` hides it."""
    page = browser.new_page(viewport={"width": 1400, "height": 2300})
    messages: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda frame: messages.append(frame if isinstance(frame, str)
                                                       else frame.decode("utf-8", "replace"))))
    page.goto(server.url)
    page.get_by_role("heading", name="History of runs").wait_for(timeout=120_000)
    page.get_by_role("heading", name=re.compile(r"^Rows of the run")).wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    return page, messages


TABLES = """tables => tables.map(t => ({
    head: [...t.querySelectorAll("thead th")].map(th => th.innerText.split("\\n")[0].trim()),
    rows: [...t.querySelectorAll("tbody tr")].map(
        tr => [...tr.querySelectorAll("td")].map(td => td.innerText.trim()))}))"""


def table_with(page, *headers: str) -> list[dict[str, str]]:
    """The rows (column -> cell text) of the first table on the page whose header has these
    columns, read in one go (marimo's tables live in shadow roots; Playwright's locator
    reaches them, and the page's own DOM calls read each table's cells)."""
    for table in page.locator("table").evaluate_all(TABLES):
        if set(headers) <= set(table["head"]):
            names = table["head"]
            return [dict(zip(names[-len(r):], r)) for r in table["rows"] if r]
    raise AssertionError(f"no table with columns {headers} on the page")


def wait_for_table(page, headers: list[str], done, seconds: float = 30) -> list[dict]:
    """A table's rows once `done(rows)` holds (the kernel re-runs cells after a filter or a
    re-read, one after the other)."""
    import time

    deadline, rows = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            rows = table_with(page, *headers)
        except AssertionError:
            rows = None
        if rows is not None and done(rows):
            return rows
        page.wait_for_timeout(300)
    raise AssertionError(f"the table {headers} never showed what was expected; last seen: {rows}")


def errors_in(messages: list[str]) -> list[str]:
    return [m[:500] for m in messages if '"marimo-error"' in m]


def test_the_review_page_shows_the_counts_and_the_rejected_rows(demo, browser, tmp_path):
    run_id, counts, rejected = last_run(demo)
    with marimo_run(REVIEW, demo, tmp_path) as server:
        page, messages = open_page(browser, server)
        assert page.get_by_text(run_id).first.is_visible()
        shown = {row["view"]: {s: int(row[s]) for s in STATUSES}
                 for row in table_with(page, "view", *STATUSES, "problem")}
        assert shown == {view: {s: n[s] for s in STATUSES} for view, n in counts.items()}
        rows = table_with(page, "view", "key", "expectation", "field", "value", "reason")
        expected = {(key, r["field"], r["expectation"], r["message"])
                    for key, reasons in rejected for r in json.loads(reasons)}
        assert {(r["key"], r["field"], r["expectation"], r["reason"]) for r in rows} == expected
        assert len(expected) == 6
        assert errors_in(messages) == []
        shot = tmp_path / "review.png"
        page.screenshot(path=str(shot))
        # the filters: one view, one status
        page.get_by_label("endpoint view", exact=True).select_option("omie_clientes")
        page.get_by_label("status", exact=True).select_option("rejected")
        filtered = wait_for_table(page, ["view", "rejected", "problem"],
                                  lambda rows: [r["view"] for r in rows] == ["omie_clientes"])
        assert filtered[0]["rejected"] == str(counts["omie_clientes"]["rejected"])
        wait_for_table(page, ["view", "key", "expectation", "field", "value", "reason"],
                       lambda rows: sorted(r["key"] for r in rows) == ["CLI-0901", "CLI-0902",
                                                                      "CLI-0903"])
        assert errors_in(messages) == []
        page.close()
    assert "Traceback" not in server.log, server.log[-3000:]
    assert shot.stat().st_size > 20_000
    if os.environ.get("OMIE_PUSH_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["OMIE_PUSH_SCREENSHOT"])


def test_an_open_review_page_does_not_stop_dbt_build_or_omie_push(demo, browser, tmp_path):
    project = copy_of(demo, tmp_path / "project")
    with marimo_run(REVIEW, project, tmp_path) as server:
        page, messages = open_page(browser, server)
        dbt_build(project, "--select", "omie_clientes")     # attaches the results read-write
        pushed = omie_push(project)
        new_run = re.search(r"Run (\S+): ", pushed.stdout).group(1)
        assert new_run == last_run(project)[0]
        page.get_by_role("button", name="Read the results again").click()
        page.get_by_text(new_run).first.wait_for(timeout=60_000)
        # the cells below re-run after the last run's: the repeat failures appear in turn
        wait_for_table(page, ["view", "key", "runs_in_a_row", "last_status"],
                       lambda rows: ("CLI-0901", "2") in {(r["key"], r["runs_in_a_row"]) for r in rows},
                       seconds=60)
        assert errors_in(messages) == []
        page.close()
