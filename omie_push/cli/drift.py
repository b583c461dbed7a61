"""`omie-push drift`: the fields someone changed in Omie on records omie-push wrote, and how
to resolve them (docs/drift.md).

    omie-push drift                    the unresolved drift (--all: every drift ever found)
    omie-push drift --accept KEY       Omie's values stand: a held row is no longer held
    omie-push drift --overwrite KEY    the next push sends the warehouse's values again

Reads go through the review layer (read-only, closed at once); --accept/--overwrite write the
drift table through the store. Only click is imported at the top.
"""
from __future__ import annotations

import json
import sys

import click

HEAD = ("endpoint", "key", "field", "our_value", "omie_value", "changed_by", "changed_at", "status")


@click.command()
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--target", default=None,
              help="Target of omie_push.yml whose company --accept/--overwrite apply to "
                   "(default: its `target`).")
@click.option("--accept", "accept", metavar="KEY", default=None,
              help="Keep Omie's values for this record: its drift is closed and a held row "
                   "goes on (change the warehouse to match, or the next change overwrites them).")
@click.option("--overwrite", "overwrite", metavar="KEY", default=None,
              help="The warehouse wins for this record: the next push sends it again.")
@click.option("--endpoint", default=None, help="Only this endpoint's record KEY (e.g. clientes).")
@click.option("--all", "every", is_flag=True, help="List resolved drift too.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def drift(project_dir, target, accept, overwrite, endpoint, every, as_json):
    """List the fields changed in Omie (not through the API) on records omie-push wrote:
    field, our value, Omie's value, who and when; or resolve one record's drift.

    Each push checks first (one List page per endpoint when nothing changed); what a drifted
    row does is the view's meta.omie.drift: report (default), hold or overwrite.
    """
    from ..errors import OmiePushError, UsageError

    try:
        if accept and overwrite:
            raise UsageError("give --accept or --overwrite, not both")
        if accept or overwrite:
            found = resolve(project_dir, target, accept or overwrite,
                            "accepted" if accept else "overwrite", endpoint)
        else:
            from ..review.drift import listing

            found = listing(project_dir, every)
    except OmiePushError as exc:
        failure = click.ClickException(str(exc))
        failure.exit_code = exc.exit_code
        raise failure from None
    click.echo(json.dumps(found, ensure_ascii=False, default=str) if as_json else render(found))
    sys.exit(0)


def resolve(project_dir, target, key: str, status: str, endpoint: str | None) -> dict:
    """Mark the unresolved drift of one record accepted (or to be overwritten)."""
    from .. import catalog
    from ..dbt.project import find_project_dir
    from ..errors import UsageError
    from ..push import config
    from ..store.connect import connect
    from ..store.drift import OPEN, DriftStore
    from ..store.ledger import Ledger, now

    if endpoint is not None:
        try:
            endpoint = catalog.get(endpoint).name
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    cfg = config.load(find_project_dir(project_dir), target)
    con = connect(cfg.results_path)
    try:
        Ledger(con, cfg.settings.app_key)      # the tables, on an older results file too
        store = DriftStore(con, cfg.settings.app_key)
        only = (OPEN,) if status == "overwrite" else ("open", "overwrite")
        count = store.resolve(key, status, now(), endpoint=endpoint, only=only)
    finally:
        con.close()
    if not count:
        raise UsageError(f"no unresolved drift for {key!r} on target {cfg.settings.name}. "
                         f"See `omie-push drift`.")
    then = ("Omie's values stand; a held row goes on at the next push" if status == "accepted"
            else "the next push sends the warehouse's values")
    return {"key": key, "status": status, "fields": count, "message": f"{key}: {count} field"
            f"{'s' * (count != 1)} {status}: {then}."}


def render(found: dict) -> str:
    if "message" in found and "drift" not in found:
        return found["message"]
    if not found["drift"]:
        return found["message"]
    rows = [list(HEAD)] + [[str(r[h] if r[h] is not None else "") for h in HEAD] for r in found["drift"]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    steps = sorted({r["next"] for r in found["drift"] if r.get("next")})
    return "\n".join([f"Drift in {found['results']}:", *lines, *(f"  next: {s}" for s in steps)])
