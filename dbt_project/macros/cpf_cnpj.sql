{#-
  CPF / CNPJ check digits in plain SQL (upper, replace, length, substr, ascii, mod, repeat), so the
  same macro works in DuckDB, Postgres or Snowflake. Punctuation ('.', '-', '/', spaces) is ignored.

  - CPF: 11 digits; two mod-11 check digits (weights 10..2, then 11..2).
  - CNPJ: 14 characters; two mod-11 check digits (weights 5..2,9..2, then 6..2,9..2). The first
    twelve may be letters: the alphanumeric CNPJ (Receita Federal, from July 2026) values each
    character as ascii(c) - 48, which gives 0..9 for digits and is the same rule as before.
  - a number made of one repeated character (000.000.000-00) is refused.

  cpf_cnpj_is_valid(expr) is a boolean expression (false for null); the generic test
  cpf_cnpj_valid fails on rows whose non-null value is not a valid CPF or CNPJ.
-#}
{% macro cpf_cnpj_is_valid(expr) -%}
{%- set d = "upper(replace(replace(replace(replace(cast(" ~ expr ~ " as varchar), '.', ''), '-', ''), '/', ''), ' ', ''))" -%}
{%- set ns = namespace(cpf_digits=[], cnpj_chars=[], s1=[], s2=[], c1=[], c2=[]) -%}
{%- for i in range(1, 15) -%}
  {%- set v = "(ascii(substr(" ~ d ~ ", " ~ i ~ ", 1)) - 48)" -%}
  {%- if i <= 11 %}{% do ns.cpf_digits.append(v ~ " between 0 and 9") %}{% endif -%}
  {%- if i <= 12 %}{% do ns.cnpj_chars.append("(" ~ v ~ " between 0 and 9 or " ~ v ~ " between 17 and 42)") %}
  {%- else %}{% do ns.cnpj_chars.append(v ~ " between 0 and 9") %}{% endif -%}
  {%- if i <= 9 %}{% do ns.s1.append(v ~ " * " ~ (11 - i)) %}{% endif -%}
  {%- if i <= 10 %}{% do ns.s2.append(v ~ " * " ~ (12 - i)) %}{% endif -%}
  {%- if i <= 12 %}{% do ns.c1.append(v ~ " * " ~ [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][i - 1]) %}{% endif -%}
  {%- if i <= 13 %}{% do ns.c2.append(v ~ " * " ~ [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][i - 1]) %}{% endif -%}
{%- endfor -%}
{%- set cpf_dv1 = "(ascii(substr(" ~ d ~ ", 10, 1)) - 48)" -%}
{%- set cpf_dv2 = "(ascii(substr(" ~ d ~ ", 11, 1)) - 48)" -%}
{%- set cnpj_dv1 = "(ascii(substr(" ~ d ~ ", 13, 1)) - 48)" -%}
{%- set cnpj_dv2 = "(ascii(substr(" ~ d ~ ", 14, 1)) - 48)" -%}
coalesce(case
  when length({{ d }}) = 11 then
    {{ ns.cpf_digits | join(' and ') }}
    and {{ d }} <> repeat(substr({{ d }}, 1, 1), 11)
    and {{ cpf_dv1 }} = {{ cpf_cnpj_mod11_digit(ns.s1 | join(' + ')) }}
    and {{ cpf_dv2 }} = {{ cpf_cnpj_mod11_digit(ns.s2 | join(' + ')) }}
  when length({{ d }}) = 14 then
    {{ ns.cnpj_chars | join(' and ') }}
    and {{ d }} <> repeat(substr({{ d }}, 1, 1), 14)
    and {{ cnpj_dv1 }} = {{ cpf_cnpj_mod11_digit(ns.c1 | join(' + ')) }}
    and {{ cnpj_dv2 }} = {{ cpf_cnpj_mod11_digit(ns.c2 | join(' + ')) }}
  else false
end, false)
{%- endmacro %}


{#- The mod-11 check digit of a weighted sum: 0 when the remainder is below 2, else 11 - remainder. -#}
{% macro cpf_cnpj_mod11_digit(weighted_sum) -%}
(case when mod({{ weighted_sum }}, 11) < 2 then 0 else 11 - mod({{ weighted_sum }}, 11) end)
{%- endmacro %}


{% test cpf_cnpj_valid(model, column_name) %}
select {{ column_name }} as invalid_cpf_cnpj
from {{ model }}
where {{ column_name }} is not null
  and not {{ cpf_cnpj_is_valid(column_name) }}
{% endtest %}
