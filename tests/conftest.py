"""Shared test settings. Each area keeps its own fixtures in its own folder's conftest.py."""
import os

os.environ.setdefault("MARIMO_SKIP_UPDATE_CHECK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
