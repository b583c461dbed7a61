"""`omie-push init`: what it writes, that it never overwrites, and that the starters match the
catalog (typed, commented, required marked, meta.omie)."""
from __future__ import annotations

import yaml
from click.testing import CliRunner

from omie_push import catalog
from omie_push.catalog import starter
from omie_push.cli import main
from omie_push.store.schema import dbt_macro


def init(folder, *args):
    return CliRunner().invoke(main, ["init", "--project-dir", str(folder), *args])


def test_in_an_existing_project_it_writes_config_results_macros_and_starters(tmp_path):
    (tmp_path / "dbt_project.yml").write_text("name: mine\nprofile: mine\nmodel-paths: [dbt_models]\n")
    done = init(tmp_path, "clientes", "contas_receber")
    assert done.exit_code == 0, done.output
    assert not (tmp_path / "profiles.yml").exists()          # theirs stays theirs
    for rel in ("omie_push.yml", "dbt_models/omie_results/omie_ids.sql",
                "dbt_models/omie_results/_omie_results.yml", "macros/omie_ids_of.sql",
                "macros/omie_push_attach_results.sql", "dbt_models/omie/omie_clientes.sql",
                "dbt_models/omie/omie_contas_receber.yml"):
        assert (tmp_path / rel).exists(), rel
        assert f"wrote {rel}" in done.output
    assert (tmp_path / "macros/omie_results_tables.sql").read_text() == dbt_macro()
    assert "on-run-start" in done.output and "dbt build" in done.output


def test_the_configuration_has_a_sandbox_target_and_a_commented_omie_target(tmp_path):
    init(tmp_path)
    text = (tmp_path / "omie_push.yml").read_text()
    config = yaml.safe_load(text)
    assert config["target"] == "sandbox" and config["targets"]["sandbox"]["base_url"] == "embedded"
    assert list(config["targets"]) == ["sandbox"]
    assert "#   app_secret: \"{{ env_var('OMIE_APP_SECRET') }}\"" in text


def test_it_never_overwrites_a_file_and_says_which_it_kept(tmp_path):
    (tmp_path / "dbt_project.yml").write_text("name: mine\nprofile: mine\n")
    (tmp_path / "omie_push.yml").write_text("# mine\n")
    (tmp_path / "models" / "omie").mkdir(parents=True)
    (tmp_path / "models" / "omie" / "omie_clientes.sql").write_text("select 1 as mine\n")
    done = init(tmp_path, "clientes")
    assert done.exit_code == 0
    assert (tmp_path / "omie_push.yml").read_text() == "# mine\n"
    assert (tmp_path / "models/omie/omie_clientes.sql").read_text() == "select 1 as mine\n"
    assert "kept  omie_push.yml (exists; not overwritten)" in done.output
    assert "wrote models/omie/omie_clientes.yml" in done.output


def test_a_new_folder_gets_a_dbt_project_and_a_duckdb_profile(tmp_path):
    folder = tmp_path / "New Books"
    assert init(folder, "projetos").exit_code == 0
    project = yaml.safe_load((folder / "dbt_project.yml").read_text())
    assert project["name"] == "new_books" and project["profile"] == "new_books"
    assert project["on-run-start"] == ["{{ omie_push_attach_results() }}"]
    profile = yaml.safe_load((folder / "profiles.yml").read_text())
    assert profile["new_books"]["outputs"]["dev"]["type"] == "duckdb"


def test_an_unknown_endpoint_lists_the_known_and_writes_nothing(tmp_path):
    done = init(tmp_path, "clientes", "boletos")
    assert done.exit_code == 2
    assert "boletos" in done.output and "contas_receber" in done.output
    assert not any(tmp_path.iterdir())


def test_every_starter_column_is_a_field_typed_and_commented():
    for ep, view in catalog.views():
        sql = starter.view_sql(ep, view)
        entry = starter.view_yaml(ep, view)
        assert entry["config"]["meta"]["omie"]["endpoint"] == ep.name
        fields = {f.name: f for f in ep.fields_of(view) if not f.read_only}
        assert [c["name"] for c in entry["columns"]] == list(fields)
        for col in entry["columns"]:
            f = fields[col["name"]]
            line = next(ln for ln in sql.splitlines() if ln.strip().startswith("cast(")
                        and f" as {f.name}" in ln.split("--")[0].rstrip(",").rstrip().split(")")[-1])
            assert f"as {col['data_type']}) as {f.name}" in line
            shown = line if "--" in line else sql.splitlines()[sql.splitlines().index(line) - 1]
            assert ("REQUIRED" in shown) == f.required, (view.name, f.name)


def test_types_follow_omie_types():
    clientes, receber = catalog.get("clientes"), catalog.get("contas_receber")
    assert starter.column_type(clientes, clientes.field("codigo_cliente_omie")) == "bigint"
    assert starter.column_type(clientes, clientes.field("valor_limite_credito")) == "decimal(15,2)"
    assert starter.column_type(clientes, clientes.field("tags")) == "struct(tag varchar)[]"
    assert starter.column_type(receber, receber.field("data_vencimento")) == "date"
    assert starter.column_type(receber, receber.field("boleto")) == "varchar"   # no documented shape
