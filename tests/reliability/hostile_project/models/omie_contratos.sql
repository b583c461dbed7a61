{{ config(meta={'omie': {'endpoint': 'contratos'}}) }}
-- A column that is no field of UpsertContrato (a typo).
select 'CT-1' as "cCodIntCtr", '001/2030' as "cNumCtrr"
