"""The results store: the ledger of what Omie accepted, the run history and every row's outcome
(`omie_results.duckdb` beside the dbt project), their one DDL, and the connection that attaches
them so dbt views joining `omie_ids` resolve.
"""
