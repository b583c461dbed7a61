"""The columnar payload texts against the frozen row builder (tests/push/payload_oracle.py):
every text the columnar path writes is byte for byte the oracle's, and every row it leaves to
the row path (null) is one payload.build decides the oracle's way, PayloadError included."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Context, Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omie_push import catalog
from omie_push.dbt import warehouse
from omie_push.dbt.project import DbtProject
from omie_push.push import diff, payload
from omie_push.push.columnar import payload_texts, sha256_hex, sha256_hex_hashlib
from omie_push.store.connect import connect
from tests.dbt.conftest import built_project  # noqa: F401  (the one dbt build of the demo)
from tests.push import payload_oracle as oracle

FLAT = [ep for ep in catalog.ENDPOINTS if ep.kind != "delete" and ep.name != "contratos"]


def oracle_verdict(endpoint, row, children=None) -> tuple[str, str]:
    """('text', canonical JSON) or ('refused', the PayloadError's message) of the oracle."""
    try:
        return "text", oracle.text_of(endpoint, row, children)
    except oracle.PayloadError as exc:
        return "refused", f"{exc.field}: {exc}"


def row_path_verdict(endpoint, row, children=None) -> tuple[str, str]:
    """The same through today's payload.build and diff's canonical JSON."""
    try:
        param = payload.build(endpoint, row, children)
    except payload.PayloadError as exc:
        return "refused", f"{exc.field}: {exc}"
    return "text", oracle.canonical(param)


def assert_columnar_agrees(endpoint, frame: pl.DataFrame) -> pl.Series:
    """Every non-null text equals the oracle's (which then builds the row), its hash too;
    every row, columnar or not, builds through payload.build as the oracle does."""
    texts = payload_texts(endpoint, frame)
    hashes = sha256_hex(texts)
    assert texts.len() == frame.height and hashes.len() == frame.height
    for i, row in enumerate(frame.to_dicts()):
        expected = oracle_verdict(endpoint, row)
        assert row_path_verdict(endpoint, row) == expected, row
        if texts[i] is None:
            assert hashes[i] is None
            continue
        assert expected == ("text", texts[i]), row
        assert hashes[i] == oracle.sha256_hex(texts[i])
    return texts


# --- the demo: every view of dbt_project/, built by dbt -------------------------------------------

@pytest.fixture(scope="module")
def demo_frames(built_project):  # noqa: F811
    assert built_project["returncode"] == 0, built_project["stdout"][-3000:]
    project = DbtProject(built_project["dir"])
    con = connect(built_project["dir"] / "omie_results.duckdb", read_only=True)
    try:
        return {m.name: (catalog.get(m.endpoint), warehouse.read_view(project, m, con))
                for m in project.omie_models()}
    finally:
        con.close()


@pytest.mark.e2e
def test_every_demo_view_columnar_or_row_path_equals_the_oracle(demo_frames):
    assert {v.name for _, v in catalog.views()} <= set(demo_frames)
    for name, (endpoint, frame) in demo_frames.items():
        texts = assert_columnar_agrees(endpoint, frame)
        if endpoint in FLAT:
            # the demo's flat views are the common case: every row columnar
            assert texts.null_count() == 0, name
            params = [payload.build(endpoint, row) for row in frame.to_dicts()]
            assert sha256_hex(texts).to_list() == [diff.payload_hash(p) for p in params]
        else:
            assert texts.null_count() == frame.height, name


@pytest.mark.e2e
def test_demo_contratos_through_the_row_path_equal_the_oracle(demo_frames):
    endpoint, headers = demo_frames["omie_contratos"]
    children: dict[str, dict[str, list]] = {}
    for view in endpoint.views[1:]:
        for row in demo_frames[view.name][1].to_dicts():
            children.setdefault(row["cCodIntCtr"], {}).setdefault(view.name, []).append(row)
    assert headers.height and children
    for row in headers.to_dicts():
        kids = children.get(row["cCodIntCtr"], {})
        assert row_path_verdict(endpoint, row, kids) == oracle_verdict(endpoint, row, kids)


# --- hypothesis: rows of every flat endpoint, with the dtypes DuckDB gives ---------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.text(
    "aé ç\"\\\n\r\t\b\f\x00\x01\x1f\x7f\u2028😀'/-:.T0123456789{}[],", max_size=12) | st.sampled_from([
        "", " ", "2026-03-05", "2026-03-05T10:11:12", "2026-03-05 ", " 2026-03-05", "2026-13-45",
        "05/03/2026", "5/3/2026", "12.50", "-12.50", "007", "-0", "0", "1e3", "5.", " 12 ", "1_000",
        "0.00001", "12345678901234567.89", "10000000000000000", "1234567890123456.7", "0.0001", '{"a": 1}', "[1, 2]", "[]", "{}", "S", "N", "١٢"])
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 0.1, 1.5, -2.25, 1e-4, 9.99e-5, 1e-5, 1e15, 1e16, 123456.789, 5000.0, 2.0**53, 1e18, 1e19])
DATES = st.dates(date(1, 1, 1), date(9999, 12, 31)) | st.sampled_from([date(999, 1, 2), date(2026, 3, 5)])
DATETIMES = st.datetimes(datetime(900, 1, 1), datetime(9999, 12, 31))
INTS = st.integers(-(2**63), 2**63 - 1) | st.integers(-3, 3)


EDGE_DECIMALS = [Decimal(t) for t in (
    "0", "0.01", "-0.01", "0.0001", "0.00001", "0.000001", "0.0000001", "1E16", "1E15", "9999999999999999",
    "999999999999999", "123456789012345.6", "1234567890123456.7", "12345678901234567.89", "0.1234567890123456",
    "12300000000000000000", "5000.00", "-5000.5", "2.675", "1E-10")]


def decimals(precision: int, scale: int):
    # one digit short of the precision: Polars refuses the very largest values of DECIMAL(38, s)
    bound = Decimal(10) ** (precision - scale - 1) - Decimal(1) / Decimal(10) ** scale
    edges = [d.quantize(Decimal(1).scaleb(-scale), context=Context(prec=60)) for d in EDGE_DECIMALS
             if -d.as_tuple().exponent <= scale and abs(d) <= bound]
    return st.decimals(-bound, bound, places=scale, allow_nan=False, allow_infinity=False) | st.sampled_from(edges)


def nested_leaf():
    return st.sampled_from([
        (pl.String, TEXT), (pl.Int64, INTS), (pl.Boolean, st.booleans()), (pl.Float64, FLOATS),
        (pl.Decimal(15, 2), decimals(15, 2)), (pl.Date, DATES), (pl.Null, st.none())])


@st.composite
def nested_column(draw, kind: str):
    """(dtype, values strategy) of a STRUCT (Object) or LIST (Array) column."""
    def struct_of(depth):
        names = draw(st.lists(st.sampled_from(["tag", "b", "a", "é", "Z", "entEndereco"]),
                              min_size=1, max_size=4, unique=True))
        members = {}
        for name in names:
            if depth and draw(st.booleans()):
                members[name] = draw(st.sampled_from(["struct", "list"]))
                inner = struct_of(depth - 1) if members[name] == "struct" else list_of(depth - 1)
            else:
                inner = draw(nested_leaf())
            members[name] = inner
        dtype = pl.Struct({n: d for n, (d, _) in members.items()})
        return dtype, st.none() | st.fixed_dictionaries({n: s for n, (_, s) in members.items()})

    def list_of(depth):
        dtype, values = struct_of(depth) if draw(st.booleans()) else draw(nested_leaf())
        return pl.List(dtype), st.none() | st.lists(values, max_size=3)

    return struct_of(1) if kind == "Object" else list_of(1)


@st.composite
def column(draw, f):
    """(dtype, values strategy) for a field: mostly the dtype a view would have, sometimes not."""
    natural = {
        "Integer": [(pl.Int64, INTS), (pl.Int32, st.integers(-(2**31), 2**31 - 1)),
                    (pl.Decimal(18, 0), decimals(18, 0)), (pl.String, TEXT)],
        "Decimal": [(pl.Decimal(15, 2), decimals(15, 2)), (pl.Decimal(18, 4), decimals(18, 4)),
                    (pl.Decimal(38, 10), decimals(38, 10)), (pl.Float64, FLOATS), (pl.Int64, INTS),
                    (pl.String, TEXT)],
        "Array": [draw(nested_column("Array")), (pl.String, TEXT)],
        "Object": [draw(nested_column("Object")), (pl.String, TEXT)],
    }.get(f.type, [(pl.String, TEXT), (pl.Boolean, st.booleans())])
    if f.is_date:
        natural = [(pl.Date, DATES), (pl.String, TEXT), (pl.Datetime("us"), DATETIMES)]
    anything = [(pl.String, TEXT), (pl.Boolean, st.booleans()), (pl.Int64, INTS), (pl.Float64, FLOATS),
                (pl.Float32, st.floats(width=32)), (pl.Decimal(15, 2), decimals(15, 2)),
                (pl.Decimal(20, 8), decimals(20, 8)), (pl.Date, DATES), (pl.Null, st.none())]
    dtype, values = draw(st.sampled_from(natural) | st.sampled_from(anything))
    return dtype, st.none() | values


@st.composite
def flat_frames(draw):
    endpoint = draw(st.sampled_from(FLAT))
    names = draw(st.lists(st.sampled_from([f.name for f in endpoint.fields]), min_size=1,
                          max_size=8, unique=True))
    height = draw(st.integers(1, 6))
    data = {}
    for name in names:
        dtype, values = draw(column(endpoint.field(name)))
        data[name] = pl.Series(name, draw(st.lists(values, min_size=height, max_size=height)), dtype=dtype)
    return endpoint, pl.DataFrame(data)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(flat_frames())
def test_generated_rows_columnar_text_equals_the_oracle(case):
    endpoint, frame = case
    assert_columnar_agrees(endpoint, frame)


def _kind(f) -> str:
    return "date" if f.is_date else f.type.replace("Text", "String")


FIELDS_BY_KIND: dict[str, list] = {}
for _ep in FLAT:
    for _f in _ep.fields:
        FIELDS_BY_KIND.setdefault(_kind(_f), []).append((_ep, _f))


@st.composite
def one_column_frames(draw):
    """Many values of one field, the field's kind drawn first: numbers and dates as often as text."""
    endpoint, f = draw(st.sampled_from(sorted(FIELDS_BY_KIND)).flatmap(lambda k: st.sampled_from(FIELDS_BY_KIND[k])))
    dtype, values = draw(column(f))
    height = draw(st.integers(1, 24))
    return endpoint, pl.DataFrame({f.name: pl.Series(f.name, draw(st.lists(values, min_size=height,
                                                                            max_size=height)), dtype=dtype)})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(one_column_frames())
def test_generated_values_of_each_kind_of_field_equal_the_oracle(case):
    endpoint, frame = case
    assert_columnar_agrees(endpoint, frame)


# --- the edges, named ---------------------------------------------------------------------------

CLIENTES = catalog.get("clientes")
RECEBER = catalog.get("contas_receber")


def test_control_characters_and_odd_floats_fall_back_to_the_row_path():
    frame = pl.DataFrame({
        "codigo_cliente_integracao": ["C-1", "C-2\x01", "C-3", "C-4"],
        "observacao": ['linha 1\nlinha "2"\t\\fim', "x", "ok", "ok"],
        "valor_limite_credito": [1500.5, 2.0, 1e-5, 2.5e16],
    }, schema={"codigo_cliente_integracao": pl.String, "observacao": pl.String,
               "valor_limite_credito": pl.Float64})
    texts = assert_columnar_agrees(CLIENTES, frame)
    assert texts.to_list() == [
        '{"codigo_cliente_integracao":"C-1","observacao":"linha 1\\nlinha \\"2\\"\\t\\\\fim",'
        '"valor_limite_credito":1500.5}', None, None, None]
    # the row path builds the rows left to it, as the oracle does
    assert oracle.text_of(CLIENTES, frame.row(1, named=True)).startswith('{"codigo_cliente_integracao":"C-2\\u0001"')


def test_values_payload_build_refuses_are_left_to_it():
    frame = pl.DataFrame({
        "codigo_lancamento_integracao": ["R-1", "R-2", "R-3", "R-4"],
        "data_vencimento": ["2026-03-05", "5 de março", "05/03/2026", "2026-03-05T08:00:00"],
        "valor_documento": [Decimal("10.00"), Decimal("0.00"), Decimal("-1.50"), Decimal("0.01")],
        "id_conta_corrente": ["4850011001", "12", "12.5", None],
    }, schema={"codigo_lancamento_integracao": pl.String, "data_vencimento": pl.String,
               "valor_documento": pl.Decimal(15, 2), "id_conta_corrente": pl.String})
    texts = assert_columnar_agrees(RECEBER, frame)
    assert texts.to_list() == [
        '{"codigo_lancamento_integracao":"R-1","data_vencimento":"05/03/2026",'
        '"id_conta_corrente":4850011001,"valor_documento":10.0}', None, None,
        '{"codigo_lancamento_integracao":"R-4","data_vencimento":"05/03/2026","valor_documento":0.01}']
    for i in (1, 2):
        with pytest.raises(payload.PayloadError):
            payload.build(RECEBER, frame.row(i, named=True))


def test_contratos_deletes_and_unknown_columns_are_all_left_to_the_row_path():
    frame = pl.DataFrame({"codigo_lancamento_integracao": ["R-1"]})
    assert payload_texts(catalog.get("contas_receber_excluir"), frame).to_list() == [None]
    assert payload_texts(catalog.get("contratos"), pl.DataFrame({"cCodIntCtr": ["CT-1"]})).to_list() == [None]
    odd = pl.DataFrame({"codigo_lancamento_integracao": ["R-1"], "not_a_field": [1]})
    assert payload_texts(RECEBER, odd).to_list() == [None]
    with pytest.raises(KeyError):
        payload.build(RECEBER, odd.row(0, named=True))


def test_read_only_fields_nulls_and_empty_objects_are_left_out_keys_sorted():
    frame = pl.DataFrame({
        "razao_social": ["Açaí & Cia 😀", None], "codigo_cliente_integracao": ["C-1", "C-2"],
        "importado_api": ["S", "S"], "inativo": [False, None], "codigo_pais": [1058, None],
        "recomendacoes": [{"gerar_boletos": None, "email_fatura": None}, {"gerar_boletos": "S", "email_fatura": None}],
        "tags": [[], [{"tag": "VIP"}, {"tag": None}]],
    })
    texts = assert_columnar_agrees(CLIENTES, frame)
    assert texts.to_list() == [
        '{"codigo_cliente_integracao":"C-1","codigo_pais":"1058","inativo":"N","razao_social":"Açaí & Cia 😀","tags":[]}',
        '{"codigo_cliente_integracao":"C-2","recomendacoes":{"gerar_boletos":"S"},"tags":[{"tag":"VIP"}]}']


def test_other_dtypes_duckdb_gives_are_exact_or_left_to_the_row_path():
    frame = pl.DataFrame({
        "codigo_lancamento_integracao": pl.Series(["R-1", "R-2"], dtype=pl.Categorical),
        "numero_documento": pl.Series(["NF-1", "NF-2"], dtype=pl.Enum(["NF-1", "NF-2"])),
        "data_vencimento": pl.Series([datetime(2026, 3, 5, 10), datetime(2026, 3, 6)], dtype=pl.Datetime("us", "UTC")),
        "data_previsao": pl.Series([datetime(2026, 3, 5, 23, 59), None], dtype=pl.Datetime("ns")),
        "id_conta_corrente": pl.Series([2**64 - 1, 7], dtype=pl.UInt64),
        "codigo_projeto": pl.Series([2**100, -1], dtype=pl.Int128),
        "valor_documento": pl.Series([12.5, 0.1], dtype=pl.Float32),
        "observacao": pl.Series([b"x", None], dtype=pl.Binary),
    })
    texts = assert_columnar_agrees(RECEBER, frame)
    assert texts.to_list() == [None, None]           # a zoned timestamp, bytes: the row path's
    texts = assert_columnar_agrees(RECEBER, frame.drop("data_vencimento", "observacao"))
    assert texts[0] == ('{"codigo_lancamento_integracao":"R-1","codigo_projeto":1267650600228229401496703205376,'
                        '"data_previsao":"05/03/2026","id_conta_corrente":18446744073709551615,'
                        '"numero_documento":"NF-1","valor_documento":12.5}')
    # a FLOAT 0.1 reaches Python as the double 0.10000000149011612, and is written so
    assert texts[1] == ('{"codigo_lancamento_integracao":"R-2","codigo_projeto":-1,"id_conta_corrente":7,'
                        '"numero_documento":"NF-2","valor_documento":0.10000000149011612}')


def test_an_empty_frame_and_a_frame_of_null_columns():
    empty = pl.DataFrame({"codigo_cliente_integracao": []}, schema={"codigo_cliente_integracao": pl.String})
    assert payload_texts(CLIENTES, empty).to_list() == []
    nulls = pl.DataFrame({"codigo_cliente_integracao": [None, None], "tags": [None, None]})
    assert assert_columnar_agrees(CLIENTES, nulls).to_list() == ["{}", "{}"]


@pytest.mark.parametrize("hasher", [sha256_hex, sha256_hex_hashlib])
def test_sha256_hex_keeps_nulls_and_equals_payload_hash(hasher):
    param = {"codigo_cliente_integracao": "C-ç 😀", "valor_limite_credito": 10.5}
    texts = pl.Series("t", [oracle.canonical(param), None, "{}"])
    assert hasher(texts).to_list() == [diff.payload_hash(param), None, diff.payload_hash({})]
    assert hasher(pl.Series("t", [], dtype=pl.String)).to_list() == []
    chunked = pl.concat([texts, texts.slice(1)], rechunk=False)   # chunks and an offset
    assert hasher(chunked).to_list() == hasher(texts).to_list() + hasher(texts).to_list()[1:]


def test_payload_build_still_equals_the_oracle_on_every_kind_of_value():
    row = {"codigo_lancamento_integracao": "R-1", "data_vencimento": date(2026, 3, 5),
           "data_previsao": "2026-03-10", "valor_documento": Decimal("1612.05"),
           "id_conta_corrente": Decimal("4850011001"), "observacao": "á\x02\"", "retem_iss": True}
    assert row_path_verdict(RECEBER, row) == oracle_verdict(RECEBER, row)
    assert oracle_verdict(RECEBER, {**row, "valor_documento": Decimal("0")})[0] == "refused"
