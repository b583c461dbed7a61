"""Whether a record found after a lost answer holds what we sent; classify never crashes."""
from __future__ import annotations

from hypothesis import given, strategies as st

from omie_push.catalog import get
from omie_push.client.faults import classify
from omie_push.client.lookup import find_category, judge, lookup_param, omie_id_of


def test_a_record_holding_our_values_matches():
    sent = {"codigo_cliente_integracao": "C1", "razao_social": "Padaria", "cnpj_cpf": "11222333000181",
            "tags": [{"tag": "B"}, {"tag": "A"}], "valor": 10}
    stored = {"codigo_cliente_omie": 77, "codigo_cliente_integracao": "C1", "razao_social": "Padaria",
              "cnpj_cpf": "11.222.333/0001-81", "tags": [{"tag": "A"}, {"tag": "B"}], "valor": 10.0,
              "pessoa_fisica": "N", "info": {"dInc": "24/11/2026"}}
    found = judge(sent, stored)
    assert found.matches and found.omie_id == 77


def test_a_record_with_other_values_does_not():
    stored = {"codigo_cliente_omie": 77, "razao_social": "Padaria Velha", "cnpj_cpf": "11.222.333/0001-81"}
    assert not judge({"razao_social": "Padaria"}, stored).matches
    assert not judge({"tags": [{"tag": "A"}]}, {"tags": []}).matches
    assert not judge({"cidade": "SAO PAULO (SP)"}, {"cidade": "SAO PAULO (RJ)"}).matches
    assert not judge({"cnpj_cpf": "11222333000181"}, {}).matches


def test_contracts_are_judged_inside_contratoCadastro():
    sent = {"cabecalho": {"cCodIntCtr": "K1", "nCodCli": 5}, "itensContrato": [{"itemCabecalho": {"quant": 1}}]}
    stored = {"contratoCadastro": {"cabecalho": {"cCodIntCtr": "K1", "nCodCli": 5, "nCodCtr": 900},
                                   "itensContrato": [{"itemCabecalho": {"quant": 1, "valorTotal": 10}}]}}
    found = judge(sent, stored)
    assert found.matches and found.omie_id == 900


def test_lookup_params():
    assert lookup_param(get("clientes"), {"codigo_cliente_integracao": "C1"}, None) == {"codigo_cliente_integracao": "C1"}
    assert lookup_param(get("contratos"), {"cabecalho": {"cCodIntCtr": "K1"}}, None) == \
        {"contratoChave": {"cCodIntCtr": "K1"}}
    assert lookup_param(get("contratos"), {}, {"cCodIntCtr": "K1"}) == {"contratoChave": {"cCodIntCtr": "K1"}}
    assert lookup_param(get("contas_receber_excluir"), {"chave_lancamento": 12}, None) == {"codigo_lancamento_omie": 12}


def test_omie_ids_of_each_answer_shape():
    assert omie_id_of({"codigo_cliente_omie": 1, "codigo_status": "0"}) == 1
    assert omie_id_of({"codigo_lancamento_omie": 2}) == 2
    assert omie_id_of({"codigo": 3, "codInt": "P", "status": "0"}) == 3
    assert omie_id_of({"cCodIntCtr": "K", "nCodCtr": 4, "cCodStatus": "0"}) == 4
    assert omie_id_of({"codigo": "1.01.04", "codigo_status": "0"}) == "1.01.04"


def test_a_category_is_found_in_its_own_group_only():
    listing = [{"codigo": "1.01.03", "descricao": "Consultoria", "categoria_superior": "1.01"},
               {"codigo": "2.01.02", "descricao": "Fretes"}]
    assert find_category(listing, {"categoria_superior": "1.01", "descricao": "Consultoria"})["codigo"] == "1.01.03"
    assert find_category(listing, {"categoria_superior": "1.02", "descricao": "Consultoria"}) is None
    assert find_category(listing, {"categoria_superior": "2.01", "descricao": "Fretes"})["codigo"] == "2.01.02"


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
                           max_leaves=8)


@given(st.one_of(st.none(), st.integers(100, 599)), st.one_of(json_values, st.binary(max_size=40)))
def test_classify_never_raises(status, body):
    fault = classify(status, body)
    assert fault is None or fault.fault_class is not None


def test_absent_empty_text_and_empty_object_read_alike():
    """omie-api.md §9: a List record leaves an unset field out, Consultar answers it "", an
    unset object comes back {}; a record holding nothing there matches a payload sending nothing."""
    sent = {"codigo_cliente_integracao": "C1", "enderecoEntrega": {"entCidade": ""}, "tags": [],
            "recomendacoes": {}, "observacao": ""}
    for stored in ({"codigo_cliente_integracao": "C1"},
                   {"codigo_cliente_integracao": "C1", "enderecoEntrega": "", "tags": "", "observacao": ""},
                   {"codigo_cliente_integracao": "C1", "enderecoEntrega": {}, "recomendacoes": {}, "tags": []}):
        assert judge(sent, stored).matches, stored
    # something sent is still looked for, whatever the form of "nothing" stored
    for nothing in (None, "", {}):
        assert not judge({"enderecoEntrega": {"entCidade": "X"}}, {"enderecoEntrega": nothing}).matches
        assert not judge({"tags": [{"tag": "A"}]}, {"tags": nothing}).matches
