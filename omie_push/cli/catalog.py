"""`omie-push catalog`: what each omie view may hold, as Omie's API names it."""
from __future__ import annotations

import json

import click


@click.command()
@click.argument("endpoint", required=False)
@click.option("--field", "field_name", default=None,
              help="Show one field: its type and, for an Object or Array, the sub-fields Omie "
                   "documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the catalog as JSON.")
def catalog(endpoint: str | None, field_name: str | None, as_json: bool) -> None:
    """List the endpoints, or every field of ENDPOINT (a name, view, call or title).

    `omie-push catalog clientes --field recomendacoes` shows how to build an Object field.
    """
    from ..catalog import ENDPOINTS, get

    try:
        chosen = [get(endpoint)] if endpoint else list(ENDPOINTS)
    except KeyError as exc:
        raise click.UsageError(exc.args[0]) from None
    if field_name and not endpoint:
        raise click.UsageError("--field needs an ENDPOINT: omie-push catalog clientes --field tags")
    if field_name:
        _print_field(chosen[0], field_name, as_json)
    elif as_json:
        connector = sum(1 for ep in chosen for f in ep.fields if f.source == "connector")
        payload = {"connector_fields": connector, "endpoints": [ep.to_dict() for ep in chosen]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif endpoint:
        _print_fields(chosen[0])
    else:
        _print_endpoints(chosen)


def _print_endpoints(endpoints) -> None:
    from .table import render

    rows = [[ep.name, [v.name for v in ep.views], ep.call, ep.path, str(len(ep.fields))]
            for ep in endpoints]
    click.echo(render(["endpoint", "view(s)", "Omie call", "path", "fields"], rows))
    click.echo("\n`omie-push catalog ENDPOINT` lists an endpoint's fields.")


def _notes(f, shape) -> str:
    if f.read_only:
        return "read-only in Omie: do not send"
    if f.is_date:
        return "date (YYYY-MM-DD in the view, dd/mm/aaaa to Omie)"
    if f.allowed:
        return "/".join(f.allowed)
    if f.type in ("Object", "Array"):
        kind = "STRUCT" if f.type == "Object" else "LIST of STRUCTs"
        inside = f"; --field {f.name}" if shape else "; sub-fields not documented"
        return f"{kind} or JSON text{inside}"
    return ""


def _print_fields(ep) -> None:
    from ..catalog import shape_of
    from .table import render

    click.echo(f"{ep.title}: {ep.call} at {ep.path}")
    click.echo(f"key: {', '.join(ep.key_fields)}; ledger key: {ep.integration_key or 'none'}")
    if ep.key_object:
        click.echo(f"key object: {ep.key_object} (fill one of its fields)")
    if ep.note:
        click.echo(f"note: {ep.note}")
    for view in ep.views:
        rows = [[f"{f.section}.{f.name}" if f.section else f.name, f.type_label,
                 f"yes ({f.required_by})" if f.required else "",
                 _notes(f, shape_of(ep.name, f.name))] for f in ep.fields_of(view)]
        click.echo(f"\nview {view.name}")
        click.echo(render(["field", "type", "required", "allowed / notes"], rows))


def _print_field(ep, name: str, as_json: bool) -> None:
    from ..catalog import shape_of
    from .table import render

    try:
        f = ep.field(name)
    except KeyError as exc:
        raise click.UsageError(f"{exc.args[0]}; `omie-push catalog {ep.name}` lists them") from None
    shape = shape_of(ep.name, f.name)
    if as_json:
        data = {"endpoint": ep.name, **f.to_dict(),
                "subfields": None if shape is None else [vars(s) for s in shape.subfields],
                "subfields_source": shape.source if shape else None,
                "example": shape.example if shape else None}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{ep.name}.{f.name}: {f.type_label}{' (required)' if f.required else ''}")
    if f.description:
        click.echo(f"  {f.description}")
    if f.type not in ("Object", "Array"):
        return
    if shape is None:
        click.echo("  No source documents its sub-fields; Omie refuses a tag it does not know.")
        return
    what = "one object" if f.type == "Object" else "a list of objects"
    click.echo(f"  {what} with these sub-fields (source: {shape.source}):\n")
    click.echo(render(["sub-field", "type", "what it holds"],
                      [[s.name, s.type_label, s.description] for s in shape.subfields]))
    click.echo(f"\n  In the view: a {'STRUCT' if f.type == 'Object' else 'LIST of STRUCTs'} column, "
               f"or JSON text such as {shape.example}")
