"""omie-push: send the omie views your dbt project builds to the Omie ERP."""

__version__ = "0.1.0"
