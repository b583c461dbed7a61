select
    trim(rep_id)                      as rep_id,
    trim(name)                        as name,
    nullif(lower(trim(email)), '')    as email,
    commission_pct,
    upper(trim(can_invoice))          as can_invoice,
    upper(trim(sees_own_orders_only)) as sees_own_orders_only,
    active                            as is_active
from {{ ref('raw_sales_reps') }}
