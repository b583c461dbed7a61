{#-
  A row key made of several columns is unique (no dbt packages here: the same idea as
  dbt_utils.unique_combination_of_columns). Fails with one row per repeated combination.
  Names are quoted: Omie's mixed-case names (cCodIntCtr) stay as written on PostgreSQL too.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set columns = [] -%}
{%- for column in combination_of_columns %}{% do columns.append(adapter.quote(column)) %}{% endfor -%}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
