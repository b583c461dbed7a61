"""`omie-push init [ENDPOINT ...]`: set up a dbt project (or a new folder) for omie-push.

Writes omie_push.yml, the omie_results source, the omie_ids model, the macros and, for each
endpoint named, a starter view with every field typed and commented, and its schema YAML. It
never overwrites a file: one that exists is left as it is and named. Exit 0, or 2 for an
unknown endpoint.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("endpoints", nargs=-1)
@click.option("--project-dir", type=click.Path(file_okay=False), default=".",
              help="The dbt project to set up, or a new folder (default: the current folder).")
def init(endpoints, project_dir):
    """Write what omie-push needs into a dbt project: omie_push.yml, the results source and
    omie_ids model, the macros, and a starter view (with its schema YAML) per ENDPOINT
    named, e.g. `omie-push init clientes contas_receber`. Existing files are never
    overwritten. `omie-push catalog` lists the endpoints.
    """
    sys.exit(run_init(endpoints, Path(project_dir)))


def run_init(endpoints, folder: Path, echo=click.echo) -> int:
    import yaml

    from .. import catalog
    from ..push import scaffold

    try:
        names = list(dict.fromkeys(catalog.get(e).name for e in endpoints))
    except KeyError as exc:
        echo(f"omie-push init: {exc.args[0]}", err=True)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    new_project = not (folder / "dbt_project.yml").exists()
    if new_project:
        files.update(scaffold.new_project_files(folder))
        config = {}
    else:
        try:
            config = yaml.safe_load((folder / "dbt_project.yml").read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            echo(f"omie-push init: {folder / 'dbt_project.yml'} is not valid YAML ({exc}). "
                 f"Fix it first: dbt cannot read it either.", err=True)
            return 2
    models = (config.get("model-paths") or ["models"])[0]
    macros = (config.get("macro-paths") or ["macros"])[0]
    files.update(scaffold.base_files(models, macros))
    for name in names:
        files.update(scaffold.endpoint_files(name, models))
    wrote, kept = write_new(folder, files)
    for path in wrote:
        echo(f"  wrote {path}")
    for path in kept:
        echo(f"  kept  {path} (exists; not overwritten)")
    echo(next_steps(folder, names, new_project, config))
    return 0


def write_new(folder: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write each file that does not exist yet; (written, kept) relative paths."""
    wrote, kept = [], []
    for rel, text in files.items():
        path = folder / rel
        if path.exists():
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as out:   # "x": never over a file made meanwhile
            out.write(text)
        wrote.append(rel)
    return wrote, kept


def next_steps(folder: Path, names: list[str], new_project: bool, config: dict) -> str:
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    lines = ["", "Next:"]
    if not names:
        lines.append("  - name the endpoints to start with: omie-push init clientes contas_receber "
                     "(omie-push catalog lists them)")
    else:
        lines.append("  - the starter views send a few sample rows: replace their `sample` select "
                     "with your own models")
    hooks = config.get("on-run-start") or []
    if not new_project and "omie_push_attach_results" not in str(hooks):
        lines.append("  - optional, so `dbt test` alone sees the results too: add to dbt_project.yml\n"
                     "      on-run-start:\n"
                     "        - \"{{ omie_push_attach_results() }}\"")
    lines += [f"  1. {where}dbt build",
              "  2. omie-push debug            (configuration, dbt, warehouse, results, Omie key)",
              "  3. omie-push --dry-run        (what would be sent, nothing sent)",
              "  4. omie-push                  (to the embedded sandbox; --target omie for Omie)"]
    return "\n".join(lines)
