"""Selection as in dbt: several names per flag, commas, + for parents and children."""
from __future__ import annotations

import pytest

from omie_push.cli.options import spread
from omie_push.dbt.project import OmieModel
from omie_push.dbt.selection import chosen_endpoints, select_models, selectors
from omie_push.errors import ProjectError

VIEWS = {"omie_categorias": "categorias", "omie_projetos": "projetos", "omie_vendedores": "vendedores",
         "omie_clientes": "clientes", "omie_clientes_associar": "clientes_associar",
         "omie_contas_receber": "contas_receber", "omie_contas_receber_excluir": "contas_receber_excluir",
         "omie_contratos": "contratos", "omie_contratos_itens": "contratos"}


def model(view, endpoint, meta=None):
    return OmieModel(view, f"model.x.{view}", endpoint, view, meta or {}, "w", "main", view, "success")


MODELS = [model(v, e) for v, e in VIEWS.items()]


def names(endpoints):
    return [e.name for e in endpoints]


def test_spread_reads_several_words_after_one_flag():
    assert spread(["--select", "a", "b", "--dry-run", "--exclude", "c", "d"]) == [
        "--select", "a", "--select", "b", "--dry-run", "--exclude", "c", "--exclude", "d"]
    assert spread(["--select=a", "b", "--json"]) == ["--select=a", "--select", "b", "--json"]
    assert spread(["--target", "omie", "--select", "+a"]) == ["--target", "omie", "--select", "+a"]


def test_spaces_and_commas_both_separate():
    assert [s.name for s in selectors(["omie_clientes,omie_vendedores", "clientes  projetos"])] == [
        "omie_clientes", "omie_vendedores", "clientes", "projetos"]


def test_plain_names_pick_models_views_or_endpoints():
    assert names(chosen_endpoints(MODELS, ["omie_clientes omie_vendedores"])) == ["vendedores", "clientes"]
    assert names(chosen_endpoints(MODELS, ["contratos"])) == ["contratos"]
    assert names(chosen_endpoints(MODELS, ["omie_contratos_itens"])) == ["contratos"]
    assert [m.name for m in select_models(MODELS, ["omie_contratos_itens"])] == ["omie_contratos_itens"]


def test_plus_before_adds_what_the_endpoint_waits_for_in_omies_order():
    assert names(chosen_endpoints(MODELS, ["+omie_contas_receber"])) == [
        "categorias", "projetos", "vendedores", "clientes", "clientes_associar", "contas_receber"]
    assert names(chosen_endpoints(MODELS, ["+omie_clientes"])) == ["vendedores", "clientes"]


def test_plus_after_adds_what_waits_for_it():
    assert names(chosen_endpoints(MODELS, ["omie_contas_receber+"])) == [
        "contas_receber", "contas_receber_excluir"]
    assert names(chosen_endpoints(MODELS, ["vendedores+"])) == [
        "vendedores", "clientes", "clientes_associar", "contas_receber", "contratos",
        "contas_receber_excluir"]


def test_declared_parents_are_followed_too():
    models = [model("omie_projetos", "projetos", {"depends_on": ["categorias"]})] + MODELS[:1]
    assert names(chosen_endpoints(models, ["+omie_projetos"])) == ["categorias", "projetos"]


def test_exclude_takes_the_same_forms():
    assert names(chosen_endpoints(MODELS, exclude=["omie_clientes+"])) == [
        "categorias", "projetos", "vendedores"]


def test_an_unknown_name_lists_the_known():
    with pytest.raises(ProjectError) as err:
        chosen_endpoints(MODELS, ["omie_nada"])
    assert "omie_nada" in str(err.value) and "omie_clientes" in str(err.value)
