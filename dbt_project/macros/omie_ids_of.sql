{#-
  A subquery (key, omie_id) of the numeric Omie ids granted to records of the given endpoints.
  Clients can come from two endpoints (created by clientes, or linked by clientes_associar), so a
  key seen in both still yields one row.
    left join {{ omie_ids_of(['clientes', 'clientes_associar']) }} as cli on cli.key = c.customer_id
-#}
{% macro omie_ids_of(endpoints, finished_runs_only=false) -%}
(
    select key, max(omie_id_bigint) as omie_id
    from {{ ref('omie_ids') }}
    where endpoint in ('{{ endpoints | join("', '") }}')
    {%- if finished_runs_only %} and from_finished_run{% endif %}
    group by key
)
{%- endmacro %}
