select
    trim(group_code)          as group_code,
    trim(description)         as description,
    nullif(trim(nature), '')  as nature
from {{ ref('raw_category_additions') }}
