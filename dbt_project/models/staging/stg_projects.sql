select
    trim(project_id)        as project_id,
    nullif(trim(name), '')  as name,
    active                  as is_active,
    started_on
from {{ ref('raw_projects') }}
