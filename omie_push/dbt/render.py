"""`{{ env_var('NAME'[, 'default']) }}` in YAML values, rendered as dbt renders it (Jinja).

The one renderer of omie-push's own files (omie_push.yml, the profile reader). A missing
variable is a UsageError naming the file, the key and the variable to export, never a value.
"""
from __future__ import annotations

import os
from typing import Any, Mapping

from ..errors import UsageError


def render(text: str, where: str, env: Mapping[str, str] | None = None) -> str:
    """Render one text; `where` names the file and key for the error messages."""
    if "{" not in text:
        return text
    import jinja2

    environ = os.environ if env is None else env

    def env_var(name: str, default: Any = None) -> str:
        if name in environ:
            return environ[name]
        if default is not None:
            return str(default)
        raise UsageError(f"{where} needs the environment variable {name}, which is not set. "
                         f"Fix: export {name}=... before running omie-push.")

    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    try:
        return jinja.from_string(text).render(env_var=env_var)
    except jinja2.TemplateError as exc:
        raise UsageError(f"{where}: {exc.message or exc}. Inside {{{{ }}}} omie-push knows "
                         f"env_var('NAME') and env_var('NAME', 'default').") from None


def render_tree(node: Any, where: str) -> Any:
    """Every string of a YAML tree rendered; `where` grows with the keys (targets.x.app_key)."""
    if isinstance(node, str):
        return render(node, where)
    if isinstance(node, dict):
        return {k: render_tree(v, f"{where}.{k}") for k, v in node.items()}
    if isinstance(node, list):
        return [render_tree(v, f"{where}[{i}]") for i, v in enumerate(node)]
    return node
