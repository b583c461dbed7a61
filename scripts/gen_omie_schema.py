"""Write the schema YAML of the omie views (dbt_project/models/omie/_omie__models.yml) and the
exposure of the Omie destination (_omie__exposures.yml) from the endpoint catalog.

Descriptions, data types and key tests come from omie_push.catalog, so the YAML cannot drift from
what omie-push validates and sends; tests/dbt/test_omie_schema_yaml.py fails when the checked-in
files differ from what this script writes. Which fields each sample view fills, and the SQL type of
its Array/Object columns (the catalog knows they are arrays or objects, not their inner shape), is
decided here.

Run: .venv/bin/python scripts/gen_omie_schema.py  [--check]
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from omie_push import catalog

OMIE_MODELS = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "omie"
SCHEMA_FILE = OMIE_MODELS / "_omie__models.yml"
EXPOSURE_FILE = OMIE_MODELS / "_omie__exposures.yml"

# Money, rates and quantities: exact to the cent, so one value always hashes and prints the same
# (a DOUBLE would send 0.30000000000000004) and no binary-float noise reaches Omie.
DECIMAL = "decimal(15,2)"
SCALAR_TYPES = {"Integer": "bigint", "Decimal": DECIMAL, "String": "varchar", "Text": "varchar"}

# The fields each view of the sample project fills, in the order of its SQL.
VIEW_COLUMNS: dict[str, list[str]] = {
    "omie_categorias": ["categoria_superior", "descricao", "natureza"],
    "omie_projetos": ["codInt", "nome", "inativo"],
    "omie_vendedores": ["codInt", "nome", "inativo", "email", "fatura_pedido", "visualiza_pedido", "comissao"],
    "omie_clientes": [
        "codigo_cliente_integracao", "razao_social", "cnpj_cpf", "nome_fantasia", "telefone1_ddd",
        "telefone1_numero", "telefone2_ddd", "telefone2_numero", "contato", "endereco", "endereco_numero",
        "bairro", "complemento", "estado", "cidade", "cep", "codigo_pais", "email", "homepage",
        "inscricao_municipal", "optante_simples_nacional", "observacao", "tags", "pessoa_fisica",
        "cidade_ibge", "valor_limite_credito", "inativo", "recomendacoes",
    ],
    "omie_clientes_associar": ["codigo_cliente_omie", "codigo_cliente_integracao"],
    "omie_contas_receber": [
        "codigo_lancamento_integracao", "codigo_cliente_fornecedor_integracao", "data_vencimento",
        "valor_documento", "codigo_categoria", "data_previsao", "id_conta_corrente", "numero_documento",
        "numero_parcela", "numero_documento_fiscal", "observacao", "data_emissao", "valor_iss", "retem_iss",
        "codigo_vendedor", "codigo_projeto",
    ],
    "omie_contas_pagar": [
        "codigo_lancamento_integracao", "codigo_cliente_fornecedor_integracao", "data_vencimento",
        "valor_documento", "codigo_categoria", "data_previsao", "id_conta_corrente", "numero_documento_fiscal",
        "data_emissao", "data_entrada", "codigo_projeto", "observacao", "retem_iss", "numero_documento",
        "numero_parcela",
    ],
    "omie_contratos": [
        "cCodIntCtr", "nCodCli", "cNumCtr", "cCodSit", "dVigInicial", "dVigFinal", "nDiaFat", "cTipoFat",
        "cCodCateg", "nCodVend", "nCodProj", "cContato", "cCidPrestServ", "cTpVenc", "nDias", "nDiaFixo",
        "cAdPeriodo", "cAdContrato", "cEnviarLinkNfse", "cEnviarBoleto", "cUtilizarEmails", "cObsContrato",
    ],
    "omie_contratos_itens": [
        "cCodIntCtr", "codIntItem", "seq", "natOperacao", "codServMunic", "codLC116", "quant", "valorUnit",
        "cCodCategItem", "descrCompleta", "aliqISS", "retISS",
    ],
    "omie_contratos_departamentos": ["cCodIntCtr", "cCodDep", "cDesDep", "nPerDep"],
    "omie_contas_receber_excluir": ["chave_lancamento", "codigo_lancamento_integracao"],
    "omie_contas_pagar_excluir": ["codigo_lancamento_omie", "codigo_lancamento_integracao"],
}

# Inner shape of the Array/Object columns the sample fills (omie-api.md: tags are [{"tag": ...}];
# recomendacoes: email_fatura and gerar_boletos are two of its fields). DuckDB's types; on other
# warehouses (PostgreSQL) the sample builds them as JSON (jsonb), which omie-push reads alike.
NESTED_TYPES = {
    ("clientes", "tags"): "struct(tag varchar)[]",
    ("clientes", "recomendacoes"): "struct(email_fatura varchar, gerar_boletos varchar)",
}
OTHER_WAREHOUSES_NESTED = "jsonb"


def per_target(duckdb_type: str) -> str:
    """The contract's type on DuckDB, JSON elsewhere (dbt renders data_type with the target)."""
    return f"{{{{ '{duckdb_type}' if target.type == 'duckdb' else '{OTHER_WAREHOUSES_NESTED}' }}}}"

# Per-endpoint push settings shown in meta.omie (the pusher's defaults, written out so a user sees them).
EXTRA_META = {"contas_receber": {"lot_size": 50}}


def data_type(endpoint: catalog.Endpoint, field: catalog.Field) -> str:
    if field.type in ("Array", "Object"):
        return per_target(NESTED_TYPES[(endpoint.name, field.name)])
    return SCALAR_TYPES[field.type]


def describe(field: catalog.Field) -> str:
    parts = [field.description.rstrip(".") + "."]
    parts.append(f"Omie type {field.type_label}.")
    if field.is_date:
        parts.append("Date as 'YYYY-MM-DD' text (omie-push sends dd/mm/aaaa).")
    if field.allowed:
        parts.append("Allowed: " + ", ".join(field.allowed) + ".")
    if field.required:
        parts.append(f"Required ({field.required_by}).")
    return " ".join(parts)


def model_entry(endpoint: catalog.Endpoint, view: catalog.View) -> dict:
    by_name = {f.name: f for f in endpoint.fields_of(view)}
    key = list(view.row_key)
    meta: dict = {"endpoint": endpoint.name}
    if view.name == endpoint.view:
        meta.update({"enabled": True, "partial_success": True, **EXTRA_META.get(endpoint.name, {})})
    columns = []
    for name in VIEW_COLUMNS[view.name]:
        field = by_name[name]
        col = {"name": name, "description": describe(field), "data_type": data_type(endpoint, field)}
        if name != name.lower():
            col["quote"] = True        # API names such as codInt: PostgreSQL folds unquoted names
        if name in key:
            col["data_tests"] = ["unique", "not_null"] if len(key) == 1 else ["not_null"]
        columns.append(col)
    title = f"{endpoint.title} ({endpoint.call}, {endpoint.path})"
    if view.parent_key:
        title += f": child rows of omie_contratos, joined on {view.parent_key}"
    entry: dict = {
        "name": view.name,
        "description": title + ". " + (endpoint.note or ""),
        "config": {"contract": {"enforced": True}, "meta": {"omie": meta}},
    }
    if len(key) > 1:
        entry["data_tests"] = [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": key}}}]
    entry["columns"] = columns
    entry["description"] = entry["description"].strip()
    return entry


def schema_yaml() -> str:
    models = [model_entry(ep, v) for ep, v in catalog.views()]
    header = ("# Generated by scripts/gen_omie_schema.py from omie_push.catalog: edit the script, not this file.\n"
              "# One view per Omie endpoint; columns named exactly as the API fields (never read-only ones).\n")
    return header + yaml.safe_dump({"version": 2, "models": models}, sort_keys=False, allow_unicode=True, width=110)


def exposure_yaml() -> str:
    exposure = {
        "name": "omie_erp",
        "label": "Omie ERP",
        "type": "application",
        "maturity": "medium",
        "url": "https://app.omie.com.br",
        "description": "The Omie company omie-push sends these views to (the embedded sandbox by default; "
                       "targets in omie_push.yml). Run `omie-push` after `dbt build`.",
        "owner": {"name": "Vértice Tecnologia - dados", "email": "dados@verticetec.com.br"},
        "depends_on": [f"ref('{v.name}')" for _, v in catalog.views()],
    }
    header = "# Generated by scripts/gen_omie_schema.py: the Omie destination, fed by every omie view.\n"
    return header + yaml.safe_dump({"version": 2, "exposures": [exposure]}, sort_keys=False, allow_unicode=True,
                                   width=110)


def main(argv: list[str]) -> int:
    wanted = {SCHEMA_FILE: schema_yaml(), EXPOSURE_FILE: exposure_yaml()}
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for p in stale:
            print(f"{p} is out of date: run scripts/gen_omie_schema.py")
        return 1 if stale else 0
    for p, text in wanted.items():
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
