{#-
  A row key made of several columns is unique (no dbt packages here: the same idea as
  dbt_utils.unique_combination_of_columns). Fails with one row per repeated combination.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
