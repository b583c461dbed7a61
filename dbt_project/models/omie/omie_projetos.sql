-- Upsert Projetos (UpsertProjeto), keyed by codInt.
select
    cast(project_id as varchar)                        as "codInt",
    cast(name as varchar)                              as nome,
    cast(case when is_active then 'N' else 'S' end as varchar) as inativo
from {{ ref('stg_projects') }}
