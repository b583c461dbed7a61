"""Starter views for `omie-push init`: one dbt view per Omie view of an endpoint, with every field
of it as a typed, commented column, and a few sample rows so the first push has something to send.

Written from the catalog, so a starter cannot name a field Omie does not have or type it in a way
the schema check refuses: Integer -> bigint, Decimal -> decimal(15,2) (exact to the cent: a DOUBLE
would send 0.30000000000000004), dates -> date, text -> varchar, an Object -> a STRUCT of the
sub-fields Omie documents (an Array -> a list of them), or JSON text where no source lists them.
"""
from __future__ import annotations

from typing import Any

from .model import Endpoint, Field, View
from .subfields import shape_of

DECIMAL = "decimal(15,2)"
COMMENT_AT = 66     # the column where a column's comment starts
SCALAR = {"Integer": "bigint", "Decimal": DECIMAL, "String": "varchar", "Text": "varchar",
          "Any": "varchar"}

# A few rows per view, valid for a new sandbox company (its petty-cash account 4850011001 and
# default categories 1.01.02 / 2.02.01: omie_push/sandbox/company.py). Views whose rows act on
# records that must already exist in Omie (links, deletions) start empty.
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "omie_categorias": [
        {"categoria_superior": "1.01", "descricao": "Consultoria (omie-push init)"},
    ],
    "omie_projetos": [
        {"codInt": "PRJ-0001", "nome": "Projeto exemplo", "inativo": "N"},
    ],
    "omie_vendedores": [
        {"codInt": "VND-0001", "nome": "Vendedora Exemplo", "email": "vendas@example.com",
         "inativo": "N"},
    ],
    "omie_clientes": [
        {"codigo_cliente_integracao": "CLI-0001", "razao_social": "Exemplo Comercio Ltda",
         "cnpj_cpf": "11.222.333/0001-81", "nome_fantasia": "Exemplo", "email": "financeiro@example.com",
         "estado": "SP", "cidade": "SAO PAULO (SP)", "codigo_pais": "1058", "pessoa_fisica": "N",
         "tags": [{"tag": "Cliente"}]},
        {"codigo_cliente_integracao": "CLI-0002", "razao_social": "Maria Exemplo da Silva",
         "cnpj_cpf": "529.982.247-25", "email": "maria@example.com", "pessoa_fisica": "S",
         "codigo_pais": "1058"},
    ],
    "omie_contas_receber": [
        {"codigo_lancamento_integracao": "REC-0001", "codigo_cliente_fornecedor_integracao": "CLI-0001",
         "data_vencimento": "2030-01-10", "valor_documento": "1500.00", "codigo_categoria": "1.01.02",
         "id_conta_corrente": 4850011001},
    ],
    "omie_contas_pagar": [
        {"codigo_lancamento_integracao": "PAG-0001", "codigo_cliente_fornecedor_integracao": "CLI-0001",
         "data_vencimento": "2030-01-15", "valor_documento": "320.50", "codigo_categoria": "2.02.01",
         "id_conta_corrente": 4850011001},
    ],
}
# Views whose starter must wait for an Omie id: their rows join omie_ids (see `omie_ids_of`).
# view -> (the id column, the endpoint granting it, the sample's column naming the record).
ID_JOINS = {"omie_contratos": ("nCodCli", "clientes", "cliente_integracao")}
SAMPLES["omie_contratos"] = [
    {"cliente_integracao": "CLI-0001", "cCodIntCtr": "CTR-0001", "cNumCtr": "CTR-0001", "dVigInicial": "2030-01-01",
     "dVigFinal": "2030-12-31", "nDiaFat": 10, "cTipoFat": "01", "cTpVenc": "001", "nDias": 10},
]
SAMPLES["omie_contratos_itens"] = [
    {"cCodIntCtr": "CTR-0001", "codIntItem": "CTR-0001-1", "seq": 1, "natOperacao": "01",
     "codServMunic": "01.07", "codLC116": "1.07", "quant": "1", "valorUnit": "900.00",
     "cCodCategItem": "1.01.02", "descrCompleta": "Suporte mensal"},
]


def column_type(endpoint: Endpoint, field: Field) -> str:
    """The SQL type a view's column for this field should have (DuckDB spelling)."""
    if field.type in ("Array", "Object"):
        shape = shape_of(endpoint.name, field.name)
        if shape is None:
            return "varchar"            # JSON text: no source lists the sub-fields
        inner = ", ".join(f"{s.name} {SCALAR.get(s.type, 'varchar')}" for s in shape.subfields)
        return f"struct({inner})" + ("[]" if field.type == "Array" else "")
    if field.is_date:
        return "date"
    return SCALAR[field.type]


def columns(endpoint: Endpoint, view: View) -> list[Field]:
    """The fields a view may carry, minus those Omie fills itself."""
    return [f for f in endpoint.fields_of(view) if not f.read_only]


def comment(endpoint: Endpoint, field: Field) -> str:
    """One line: REQUIRED first, then Omie's type, allowed values and what it is."""
    parts = ["REQUIRED" if field.required else "", field.type_label]
    if field.allowed:
        parts.append("/".join(field.allowed))
    if field.type in ("Array", "Object") and shape_of(endpoint.name, field.name) is None:
        parts.append("JSON text; sub-fields: omie-push catalog "
                     f"{endpoint.name} --field {field.name}")
    text = field.description.strip().rstrip(".")
    parts.append(text[:90] + ("..." if len(text) > 90 else ""))
    return " ".join(p for p in parts if p).replace("\n", " ")


def describe(endpoint: Endpoint, field: Field) -> str:
    """The schema YAML's description of a column."""
    parts = [field.description.strip().rstrip(".") + ".", f"Omie type {field.type_label}."]
    if field.allowed:
        parts.append("Allowed: " + ", ".join(field.allowed) + ".")
    if field.required:
        parts.append(f"Required ({field.required_by or 'Omie'}).")
    return " ".join(parts)


def literal(value: Any) -> str:
    """A Python sample value as a DuckDB literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"'{k}': {literal(v)}" for k, v in value.items()) + "}"
    return "'" + str(value).replace("'", "''") + "'"


def _sample_cte(view: View, rows: list[dict[str, Any]], fields: list[Field]) -> list[str]:
    join = ID_JOINS.get(view.name)
    names = [join[2]] if join else []
    names += [f.name for f in fields if any(f.name in r for r in rows)]
    if not rows:
        cols = ", ".join(f"null as {f.name}" for f in fields if f.required) or "null as _none"
        return ["with sample as (",
                "    -- No sample rows: these rows act on records already in Omie. Put your own",
                "    -- select here (from your models).",
                f"    select {cols} where false", ")"]
    values = [f"        ({', '.join(literal(r.get(n)) for n in names)})" for r in rows]
    return (["with sample as (",
             "    -- Sample rows: replace this select with one from your own models",
             "    -- (select ... from a ref() of your staging model).",
             "    select * from (values"]
            + [",\n".join(values)]
            + [f"    ) as sample_rows ({', '.join(names)})", ")"])


def view_sql(endpoint: Endpoint, view: View) -> str:
    """The text of models/omie/<view>.sql."""
    fields = columns(endpoint, view)
    rows = SAMPLES.get(view.name, [])
    sampled = {n for r in rows for n in r}
    join = ID_JOINS.get(view.name)
    head = [f"-- {view.name}: {endpoint.title} ({endpoint.call}, {endpoint.path}), "
            "written by `omie-push init`.",
            "-- Every field Omie takes, one column each, named as Omie names it and typed as",
            "-- omie-push wants it; REQUIRED ones must be filled. A null column is left out of",
            "-- the call, so delete the columns you do not use or leave them null.",
            f"-- The fields: `omie-push catalog {endpoint.name}`; rows Omie refuses: `omie-push show`."]
    if endpoint.note:
        head.append("-- " + endpoint.note.strip().replace("\n", " ")[:200])
    body = _sample_cte(view, rows, fields)
    select = []
    for i, f in enumerate(fields):
        if join and f.name == join[0]:
            source = "ids.omie_id"
        else:
            source = f"sample.{f.name}" if f.name in sampled or not rows and f.required else "null"
        line = f"cast({source} as {column_type(endpoint, f)}) as {f.name}" + ("," if i < len(fields) - 1 else "")
        note = f"-- {comment(endpoint, f)}"
        select += [f"    {line.ljust(COMMENT_AT)}{note}"] if len(line) < COMMENT_AT else [f"    {note}", f"    {line}"]
    tail = ["from sample"]
    if join:
        column, parent, code = join
        tail = ["from sample",
                f"-- {column} is the Omie id of the {parent} record: omie_ids maps integration codes",
                "-- to the ids Omie granted in earlier pushes (and earlier in this one).",
                f"left join {{{{ omie_ids_of(['{parent}']) }}}} as ids on ids.key = sample.{code}"]
    return "\n".join(head + body + ["", "select"] + select + tail) + "\n"


def view_yaml(endpoint: Endpoint, view: View) -> dict[str, Any]:
    """The view's entry in its schema YAML: meta.omie, the contract, every column described."""
    key = list(view.row_key) or ([endpoint.integration_key] if endpoint.integration_key else [])
    meta: dict[str, Any] = {"endpoint": endpoint.name}
    if view.name == endpoint.view:
        meta.update({"enabled": True, "partial_success": True})
    cols = []
    for f in columns(endpoint, view):
        col: dict[str, Any] = {"name": f.name, "description": describe(endpoint, f),
                               "data_type": column_type(endpoint, f)}
        if f.name in key:
            col["data_tests"] = ["unique", "not_null"] if len(key) == 1 else ["not_null"]
        cols.append(col)
    return {"name": view.name,
            "description": f"{endpoint.title} ({endpoint.call}, {endpoint.path}). Written by "
                           f"`omie-push init`; `omie-push catalog {endpoint.name}` lists the fields.",
            "config": {"contract": {"enforced": True}, "meta": {"omie": meta}},
            "columns": cols}
