"""`omie-push catalog`: show what each omie view may hold."""
from __future__ import annotations

import json

import click


@click.command()
@click.argument("endpoint", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the catalog as JSON.")
def catalog(endpoint: str | None, as_json: bool) -> None:
    """List the endpoints, or every field of ENDPOINT (a name, view, call or title)."""
    from ..catalog import ENDPOINTS, get

    try:
        chosen = [get(endpoint)] if endpoint else list(ENDPOINTS)
    except KeyError as exc:
        raise click.UsageError(exc.args[0]) from None
    if as_json:
        connector = sum(1 for ep in chosen for f in ep.fields if f.source == "connector")
        payload = {"connector_fields": connector, "endpoints": [ep.to_dict() for ep in chosen]}
        click.echo(json.dumps(payload,
                              ensure_ascii=False, indent=2))
    elif endpoint:
        _print_fields(chosen[0])
    else:
        _print_endpoints(chosen)


def _print_endpoints(endpoints) -> None:
    click.echo(f"{'endpoint':<24}{'view(s)':<62}{'Omie call':<24}{'path':<24}fields")
    for ep in endpoints:
        views = ", ".join(v.name for v in ep.views)
        click.echo(f"{ep.name:<24}{views:<62}{ep.call:<24}{ep.path:<24}{len(ep.fields)}")
    click.echo("\n`omie-push catalog ENDPOINT` lists an endpoint's fields.")


def _print_fields(ep) -> None:
    click.echo(f"{ep.title}: {ep.call} at {ep.path}")
    click.echo(f"key: {', '.join(ep.key_fields)}; ledger key: {ep.integration_key or 'none'}")
    if ep.key_object:
        click.echo(f"key object: {ep.key_object} (fill one of its fields)")
    if ep.note:
        click.echo(f"note: {ep.note}")
    for view in ep.views:
        click.echo(f"\nview {view.name}")
        click.echo(f"  {'field':<38}{'type':<14}{'required':<20}{'allowed / notes'}")
        for f in ep.fields_of(view):
            req = f"yes ({f.required_by})" if f.required else ""
            extra = "/".join(f.allowed) if f.allowed else ""
            if f.is_date:
                extra = "date (YYYY-MM-DD in the view, dd/mm/aaaa to Omie)"
            if f.read_only:
                extra = "read-only in Omie: do not send"
            name = f"{f.section}.{f.name}" if f.section else f.name
            click.echo(f"  {name:<38}{f.type_label:<14}{req:<20}{extra}")
