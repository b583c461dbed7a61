{#-
  A subquery (key, omie_id, omie_company) of the numeric Omie ids granted to records of the given
  endpoints. Clients can come from two endpoints (created by clientes, or linked by
  clientes_associar), so a key seen in both still yields one row per company.

  A single-company view joins on the key alone: when omie-push reads the view, omie_ids holds
  only the company being pushed.
    left join {{ omie_ids_of(['clientes', 'clientes_associar']) }} as cli on cli.key = c.customer_id

  A view with rows for several companies (a column omie_company) asks for ids per company and
  joins on both, so the pairing holds wherever the view is read:
    left join {{ omie_ids_of(['clientes'], per_company=true) }} as cli
        on cli.key = c.customer_id and cli.omie_company = c.omie_company
-#}
{% macro omie_ids_of(endpoints, finished_runs_only=false, per_company=false) -%}
(
    select key, {% if per_company %}omie_company, {% endif %}max(omie_id_bigint) as omie_id
    from {{ ref('omie_ids') }}
    where endpoint in ('{{ endpoints | join("', '") }}')
    {%- if finished_runs_only %} and from_finished_run{% endif %}
    group by key{% if per_company %}, omie_company{% endif %}
)
{%- endmacro %}
