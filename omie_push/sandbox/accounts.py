"""The companies a sandbox serves: one per app key, with its secret and what Omie knows of it.

Omie needs one application (App Key + Secret) per company (omie-api.md §8), so each key here is
one company with its own records. Besides the secret, a company may be given its razão social,
CNPJ and nome fantasia (what `ListarEmpresas` answers) and the fixture sets to load into it.

    accounts_of({"K1": "S1"})                                    # a key and its secret
    accounts_of({"K2": {"app_secret": "S2", "razao_social": "Padaria Ltda",
                        "cnpj": "11.444.777/0001-61", "fixtures": ["demo"]}})
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

SPEC_KEYS = ("app_secret", "razao_social", "cnpj", "nome_fantasia", "fixtures")


class AccountError(ValueError):
    """An account spec the sandbox cannot serve (a bad CNPJ, an unknown key)."""


@dataclass(frozen=True)
class Account:
    """One company the sandbox serves. The secret is kept out of repr."""

    app_key: str
    app_secret: str = field(repr=False)
    razao_social: str | None = None
    cnpj: str | None = None            # formatted, check digits verified
    nome_fantasia: str | None = None
    fixtures: tuple[str, ...] = ()

    def secret_matches(self, secret: Any) -> bool:
        return isinstance(secret, (str, int)) and not isinstance(secret, bool) \
            and str(secret) == self.app_secret


def accounts_of(accounts: Mapping[str, Any] | Iterable | None,
                fixtures: Iterable[str] = ()) -> dict[str, Account]:
    """app_key -> Account, from a mapping (key -> secret, or key -> spec dict), pairs, or Accounts.
    `fixtures` are added to every company's own."""
    if accounts is None:
        accounts = {}
    if isinstance(accounts, Mapping):
        items = list(accounts.items())
    else:
        items = [(a.app_key, a) if isinstance(a, Account) else tuple(a) for a in accounts]
    extra = tuple(fixtures or ())
    made = {}
    for key, spec in items:
        account = _account(str(key), spec)
        made[account.app_key] = replace(account, fixtures=_unique(account.fixtures + extra))
    return made


def _account(key: str, spec: Any) -> Account:
    if isinstance(spec, Account):
        return spec
    if not isinstance(spec, Mapping):
        return Account(key, str(spec))
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise AccountError(f"account {key}: unknown setting {unknown[0]!r} "
                           f"(known: {', '.join(SPEC_KEYS)})")
    if not spec.get("app_secret"):
        raise AccountError(f"account {key}: app_secret is missing")
    names = spec.get("fixtures") or ()
    return Account(key, str(spec["app_secret"]), _text(spec.get("razao_social")),
                   formatted_cnpj(spec["cnpj"]) if spec.get("cnpj") else None,
                   _text(spec.get("nome_fantasia")),
                   (names,) if isinstance(names, str) else tuple(str(n) for n in names))


def formatted_cnpj(value: Any) -> str:
    """A CNPJ with right check digits, formatted as Omie answers it; AccountError otherwise."""
    from validate_docbr import CNPJ

    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 14 or not CNPJ().validate(digits):
        raise AccountError(f"{value!r} is not a valid CNPJ (14 digits with right check digits)")
    return CNPJ().mask(digits)


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
