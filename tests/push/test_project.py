"""Finding the omie views through dbt's artifacts, and reading them read-only."""
import duckdb
import pytest

from omie_push.errors import ProjectError
from omie_push.dbt import profiles, warehouse
from omie_push.store.connect import connect
from omie_push.dbt.project import DbtProject

CLIENT_SQL = "select 'C-1' as codigo_cliente_integracao, 'Acme' as razao_social"


def test_models_with_meta_omie_in_push_order(fake_project):
    fake_project.model("stg_x", "select 1 as a")
    fake_project.model("omie_contas_receber", "select 'R-1' as codigo_lancamento_integracao", "contas_receber",
                       meta={"partial_success": False, "lot_size": 20})
    fake_project.model("omie_clientes", CLIENT_SQL, "clientes")
    models = DbtProject(fake_project.root).omie_models()
    assert [m.view for m in models] == ["omie_clientes", "omie_contas_receber"]
    receber = models[1]
    assert (receber.endpoint, receber.partial_success, receber.lot_size, receber.enabled) == \
        ("contas_receber", False, 20, True)


def test_refusals_name_the_model_and_the_fix(fake_project):
    fake_project.model("omie_clientes", CLIENT_SQL, "clientes", status="error")
    fake_project.model("omie_projetos", "select 'P' as codInt, 'n' as nome", "projetos", failed_test=True)
    fake_project.model("omie_vendedores", "select 'V' as codInt, 'n' as nome", "vendedores", status=None)
    by_name = {m.name: m for m in DbtProject(fake_project.root).omie_models()}
    assert "status 'error'" in by_name["omie_clientes"].refusal()
    assert "not_null_omie_projetos" in by_name["omie_projetos"].refusal()
    assert "never built" in by_name["omie_vendedores"].refusal(exists=False)
    assert by_name["omie_vendedores"].refusal(exists=True) is None


def test_unknown_endpoint_in_meta_is_an_error(fake_project):
    fake_project.model("omie_things", "select 1 as a", "things")
    with pytest.raises(ProjectError, match="omie_things"):
        DbtProject(fake_project.root).omie_models()


def test_project_found_in_cwd_or_dbt_project_subfolder(fake_project, monkeypatch, tmp_path):
    monkeypatch.chdir(fake_project.root.parent)
    with pytest.raises(ProjectError, match="--project-dir"):
        DbtProject()
    (tmp_path / "dbt_project").symlink_to(fake_project.root)
    monkeypatch.chdir(tmp_path)
    assert DbtProject().project_dir == fake_project.root.resolve()


def test_never_built_project_says_run_dbt_build(fake_project):
    with pytest.raises(ProjectError, match="dbt build"):
        DbtProject(fake_project.root).omie_models()


def test_read_view_sees_the_results_file_and_leaves_the_warehouse_unlocked(fake_project):
    fake_project.model("omie_ids", "select endpoint, key, omie_id from omie_results.main.ledger")
    fake_project.model("omie_clientes", "select c.*, i.omie_id as codigo_cliente_omie from ("
                       + CLIENT_SQL + ") c left join warehouse.main.omie_ids i on i.key = c.codigo_cliente_integracao",
                       "clientes")
    project = DbtProject(fake_project.root)
    model = project.omie_models()[0]
    con = connect(fake_project.root / "omie_results.duckdb")
    assert warehouse.read_view(project, model, con=con)["codigo_cliente_omie"].to_list() == [None]
    # an id granted now (same connection, as during a run) is visible on the next read
    con.execute("insert into omie_results.main.ledger values ('k', 'clientes', 'C-1', 'h', '555', null, 'r', now())")
    frame = warehouse.read_view(project, model, con=con)
    assert frame.to_dicts() == [{"codigo_cliente_integracao": "C-1", "razao_social": "Acme",
                                 "codigo_cliente_omie": "555"}]
    assert warehouse.relation_exists(project, model, con)
    # the warehouse is detached: dbt can open it for writing while the push goes on
    writer = duckdb.connect(str(fake_project.warehouse))
    writer.execute("create table t (a int)")
    writer.close()
    con.close()


def test_warehouse_path_follows_profiles_and_dbt_project_dir(fake_project, monkeypatch, tmp_path):
    project = DbtProject(fake_project.root)
    assert profiles.duckdb_path(project) == fake_project.warehouse.resolve()
    monkeypatch.setenv("DBT_PROJECT_DIR", str(tmp_path / "elsewhere"))
    assert profiles.duckdb_path(project) == (tmp_path / "elsewhere" / "warehouse.duckdb").resolve()


@pytest.mark.parametrize("path", [
    "{{ env_var('DBT_PROJECT_DIR', '.') }}/warehouse.duckdb",
    "{{ env_var('OMIE_TEST_WH') }}",
    "{{ env_var('OMIE_TEST_WH') | replace('warehouse', 'warehouse') }}",
    "{{ 'ware' ~ 'house' }}.duckdb",
    "{{ fromjson('[1]') | length }}.duckdb",        # dbt's context beyond env_var: dbt renders it
])
def test_a_duckdb_target_rendered_without_dbt_agrees_with_dbt(fake_project, monkeypatch, path):
    """The DuckDB path omie-push renders itself (no dbt import: 2-3 s a run) is dbt's own;
    a profile it cannot render alone (a function of dbt's context beyond env_var) goes to dbt."""
    monkeypatch.setenv("OMIE_TEST_WH", str(fake_project.warehouse))
    (fake_project.root / "profiles.yml").write_text(
        f"demo:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: \"{path}\", threads: 2}}\n")
    project = DbtProject(fake_project.root)
    file = fake_project.root / "profiles.yml"
    fast = profiles._duckdb_without_dbt(project, file, "demo")
    profiles._RENDERED.clear()
    monkeypatch.setattr(profiles, "_duckdb_without_dbt", lambda *a: None)
    by_dbt = profiles.warehouse(project)
    assert by_dbt.type == "duckdb" and by_dbt.credentials["path"]
    if fast is not None:
        assert (fast.type, fast.target, fast.credentials["path"]) == \
               (by_dbt.type, by_dbt.target, by_dbt.credentials["path"])
    assert (fast is None) == ("fromjson" in path)
    profiles._RENDERED.clear()


def test_an_incomplete_postgres_output_is_dbts_own_clear_error(fake_project):
    (fake_project.root / "profiles.yml").write_text(
        "demo:\n  target: pg\n  outputs:\n    pg: {type: postgres, host: x}\n")
    with pytest.raises(ProjectError, match="target \"pg\" invalid: 'database' is a required property"):
        profiles.warehouse(DbtProject(fake_project.root))


def test_read_view_alone_writes_nothing(fake_project):
    """`omie-push validate` reads views on its own: the results file is not created or changed."""
    fake_project.model("omie_clientes", "select c.* from (" + CLIENT_SQL + ") c "
                       "left join omie_results.main.ledger l on l.key = c.codigo_cliente_integracao", "clientes")
    (fake_project.root / "omie_results.duckdb").unlink()
    project = DbtProject(fake_project.root)
    con = connect(fake_project.root / "omie_results.duckdb", read_only=True)
    frame = warehouse.read_view(project, project.omie_models()[0], con)
    con.close()
    assert frame.height == 1
    assert not (fake_project.root / "omie_results.duckdb").exists()
