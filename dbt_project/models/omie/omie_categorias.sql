-- Incluir Categorias (IncluirCategoria): new categories under the company's fixed groups.
-- Omie has no integration code for categories: omie-push's ledger (keyed 'superior|descricao')
-- is what keeps a re-run from creating them again.
select
    cast(group_code as varchar)   as categoria_superior,
    cast(description as varchar)  as descricao,
    cast(nature as varchar)       as natureza
from {{ ref('stg_category_additions') }}
