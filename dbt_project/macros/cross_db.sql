{#-
  The few functions the sample models need that DuckDB and PostgreSQL spell differently, so the
  same project builds on both (`dbt build` and `dbt build --target postgres`). Everything else in
  the models is SQL both understand.
-#}

{#- An integer from text, null when it is not one (a category's Omie id is a code like 1.01.03). -#}
{% macro omie_try_bigint(expr) -%}
  {%- if target.type == 'duckdb' -%}
    try_cast({{ expr }} as bigint)
  {%- else -%}
    case when {{ expr }} ~ '^-?[0-9]{1,18}$' then cast({{ expr }} as bigint) end
  {%- endif -%}
{%- endmacro %}

{#- The first capture group of a regular expression, null when it does not match. -#}
{% macro omie_regexp_group(expr, pattern) -%}
  {%- if target.type == 'duckdb' -%}
    regexp_extract({{ expr }}, '{{ pattern }}', 1)
  {%- else -%}
    substring({{ expr }} from '{{ pattern }}')
  {%- endif -%}
{%- endmacro %}

{#- Accents removed (São Paulo -> Sao Paulo), as Omie writes its city names. -#}
{% macro omie_strip_accents(expr) -%}
  {%- if target.type == 'duckdb' -%}
    strip_accents({{ expr }})
  {%- else -%}
    translate({{ expr }}, 'ÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑáàâãäéèêëíìîïóòôõöúùûüçñ',
                          'AAAAAEEEEIIIIOOOOOUUUUCNaaaaaeeeeiiiiooooouuuucn')
  {%- endif -%}
{%- endmacro %}

{#- A text split on a separator into a list of trimmed parts. -#}
{% macro omie_split_trimmed(expr, sep) -%}
  {%- if target.type == 'duckdb' -%}
    list_transform(string_split({{ expr }}, '{{ sep }}'), lambda t: trim(t))
  {%- else -%}
    array(select trim(t) from unnest(string_to_array({{ expr }}, '{{ sep }}')) as t)
  {%- endif -%}
{%- endmacro %}

{#- Whether a separated text holds a value (false for null). -#}
{% macro omie_split_contains(expr, sep, value) -%}
  {%- if target.type == 'duckdb' -%}
    coalesce(list_contains(string_split({{ expr }}, '{{ sep }}'), '{{ value }}'), false)
  {%- else -%}
    coalesce('{{ value }}' = any(string_to_array({{ expr }}, '{{ sep }}')), false)
  {%- endif -%}
{%- endmacro %}
