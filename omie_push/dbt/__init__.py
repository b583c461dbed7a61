"""The user's dbt project as omie-push sees it: its artifacts (which models feed Omie, whether
their last build passed), its profile (where the warehouse is), reading a view, and the one
Jinja renderer for `{{ env_var(...) }}` in omie-push's own YAML.

Nothing here imports dbt's Python API at the top: reading the artifacts is enough for a push.
"""
