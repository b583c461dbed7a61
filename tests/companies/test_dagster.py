"""omie-push in Dagster for real: a local Dagster instance materializes the clientes asset for
three company partitions in-process, against the sandbox over real HTTP, and a second
materialization of a company sends nothing (docs/orchestration.md)."""
from __future__ import annotations

import pytest

import dagster as dg  # noqa: E402

from .offices import DAGSTER_KEYS as KEYS  # noqa: E402


def materialized(result) -> dict:
    [event] = result.get_asset_materialization_events()
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_three_company_partitions_materialize_and_a_second_sends_nothing(three, tmp_path):
    from omie_push.orchestrate import dagster as od

    it = three
    assets = od.omie_push_assets(it.project, "dagster", select=("omie_clientes",), pool="egress-test")
    with dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
        assert od.add_company_partitions(instance, it.project, "dagster") == list(KEYS)
        firsts = {}
        for name in KEYS:
            result = dg.materialize(assets, partition_key=name, instance=instance)
            assert result.success
            firsts[name] = materialized(result)
        for name, key in KEYS.items():
            meta = firsts[name]
            held = set(it.clients(key)) - {"CLI-0501", "CLI-0502"}
            assert meta["sent"] == len(held) > 0 and meta["outcome"] == "finished with refused rows", str(meta)
            assert meta["omie_company"] and meta["run_id"]
        assert firsts["oficina"]["sent"] < firsts["padaria"]["sent"]     # oficina has ten rows
        again = materialized(dg.materialize(assets, partition_key="padaria", instance=instance))
        assert again["sent"] == 0 and again["unchanged"] == firsts["padaria"]["sent"]
        assert instance.get_dynamic_partitions(od.COMPANIES.name) == list(KEYS)


def test_the_definitions_hold_dbt_models_the_push_assets_and_a_sensor_per_company(three, tmp_path):
    from omie_push.orchestrate import dagster as od

    it = three
    defs = od.omie_push_definitions(it.project, "dagster", select=("omie_clientes", "omie_clientes_associar"))
    graph = defs.resolve_asset_graph()
    push = dg.AssetKey(["omie_push", "omie_clientes"])
    assert dg.AssetKey(["omie_clientes"]) in graph.get(push).parent_keys      # its dbt model
    assert dg.AssetKey(["omie_push", "omie_clientes_associar"]) in {
        k for k in graph.get_all_asset_keys() if k.path[0] == "omie_push"}
    sensor = defs.resolve_sensor_def("omie_push_companies")
    with dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
        result = sensor(dg.build_sensor_context(instance=instance))
        assert [r.partition_key for r in result.run_requests] == list(KEYS)
        assert all(r.tags[od.COMPANY_TAG] == r.partition_key for r in result.run_requests)
