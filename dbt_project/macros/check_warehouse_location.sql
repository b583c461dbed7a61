{#-
  on-run-start guard. dbt-duckdb opens a relative `path` against the current directory, so running
  dbt from outside this folder without DBT_PROJECT_DIR (profiles.yml) would build the warehouse
  somewhere omie-push never looks. Stop at once, before any seed or model is written there.
-#}
{% macro check_warehouse_location() %}
  {% if execute and target.type == 'duckdb' and target.path not in (none, '', ':memory:') %}
    {% set folder = target.path.rsplit('/', 1)[0] if '/' in target.path else '.' %}
    {% set found = run_query(
        "select count(*) from glob('" ~ folder ~ "/dbt_project.yml')"
      ).columns[0].values()[0] %}
    {% if found == 0 %}
      {{ exceptions.raise_compiler_error(
          "The warehouse path '" ~ target.path ~ "' is not inside the dbt project: dbt-duckdb opens a "
          ~ "relative path against the current directory. Run dbt from the project folder "
          ~ "(cd dbt_project && dbt build --profiles-dir .) or set DBT_PROJECT_DIR to the project "
          ~ "folder; then delete the stray '" ~ target.path ~ "' (and omie_results.duckdb beside it)."
        ) }}
    {% endif %}
  {% endif %}
  select 1 as warehouse_location_ok
{% endmacro %}
