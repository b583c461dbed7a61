"""Clientes (omie-api.md §3.1): upsert, rules, duplicates, alteration, AssociarCodIntCliente."""
from __future__ import annotations

import pytest
from validate_docbr import CNPJ, CPF

CLIENTES = "geral/clientes/"


def new_cnpj() -> str:
    return CNPJ().generate()


def test_upsert_inserts_then_alters_the_same_record(omie, uid):
    first = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Um"})
    assert first["codigo_status"] == "0" and first["codigo_cliente_integracao"] == uid
    assert 10 ** 9 <= first["codigo_cliente_omie"] < 10 ** 10
    again = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Dois"})
    assert again["codigo_cliente_omie"] == first["codigo_cliente_omie"]
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    assert got["razao_social"] == "Dois"


def test_cnpj_digits_are_stored_formatted_and_found_by_digits(omie, uid):
    digits = new_cnpj()
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Formatada",
                                        "cnpj_cpf": digits})
    page = omie.ok(CLIENTES, "ListarClientes", {"pagina": 1, "registros_por_pagina": 10,
                                                "clientesFiltro": {"cnpj_cpf": digits}})
    [record] = page["clientes_cadastro"]
    assert record["cnpj_cpf"] == CNPJ().mask(digits)
    assert record["codigo_cliente_integracao"] == uid


def test_cpf_is_formatted_and_marks_pessoa_fisica(omie, uid):
    digits = CPF().generate()
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Pessoa",
                                        "cnpj_cpf": digits})
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    assert got["cnpj_cpf"] == CPF().mask(digits) and got["pessoa_fisica"] == "S"


def test_cnpj_with_bad_check_digits_is_refused(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "X",
                                                  "cnpj_cpf": "11222333000199"})
    assert "11222333000199" in body["faultstring"]
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})


def test_duplicate_cnpj_names_the_existing_client(omie, uid):
    digits = new_cnpj()
    first = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid + "a",
                                                "razao_social": "A", "cnpj_cpf": digits})
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid + "b",
                                                  "razao_social": "B", "cnpj_cpf": digits})
    assert body["faultstring"] == (
        f"ERROR: Cliente já cadastrado para o CPF/CNPJ [{CNPJ().mask(digits)}] com o Id "
        f"[{first['codigo_cliente_omie']}] e código de integração [{uid}a] ! (add)")


def test_duplicate_cnpj_of_a_client_without_code_has_empty_brackets(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "P",
                                                  "cnpj_cpf": "11222333000181"})
    assert body["faultstring"] == ("ERROR: Cliente já cadastrado para o CPF/CNPJ [11.222.333/0001-81] "
                                   "com o Id [5500000101] e código de integração [] ! (add)")


def test_incluir_with_a_code_in_use_is_refused_with_the_id(omie, uid):
    first = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "A"})
    body = omie.fault(CLIENTES, "IncluirCliente", {"codigo_cliente_integracao": uid, "razao_social": "A"})
    assert body == {"faultstring": f"ERROR: Cliente já cadastrado para o Código de Integração [{uid}] "
                                   f"com o nCod [{first['codigo_cliente_omie']}] !",
                    "faultcode": "SOAP-ENV:Client-102"}


def test_razao_social_is_required_on_insert(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "nome_fantasia": "F"})
    assert body["faultstring"] == "ERROR: O preenchimento da tag [razao_social] é obrigatório!"


def test_a_key_is_required(omie):
    body = omie.fault(CLIENTES, "UpsertCliente", {"razao_social": "Sem chave"})
    assert body["faultstring"].startswith("ERROR: O preenchimento das tags [codigo_cliente_integracao]")


def test_too_long_text_refuses_the_whole_record(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "R" * 61,
                                                  "nome_fantasia": "ok"})
    assert "[razao_social]" in body["faultstring"]
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "R" * 60})


def test_invalid_value_uses_omies_wording(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "X",
                                                  "inativo": "T"})
    assert body == {"faultstring": "ERROR: O preenchimento inválido da tag [inativo]! "
                                   "Valores permitidos: 'S', 'N'.",
                    "faultcode": "SOAP-ENV:Client-105"}


def test_alteration_empty_erases_absent_keeps_tags_replaced(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Alt",
                                        "email": "a@b.com", "contato": "Ana",
                                        "tags": [{"tag": "um"}, {"tag": "dois"}]})
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "email": "",
                                        "tags": [{"tag": "tres"}]})
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    assert got["email"] == ""                      # erased
    assert got["contato"] == "Ana"                 # kept
    assert got["tags"] == [{"tag": "tres"}]        # replaced whole
    listed = omie.ok(CLIENTES, "ListarClientes", {"clientesFiltro": {"codigo_cliente_integracao": uid}})
    assert listed["clientes_cadastro"][0]["email"] == ""   # a field stored empty is listed as ""


def test_consultar_lists_every_field_listar_only_those_set(omie, uid):
    """omie-api.md §9: Consultar answers every field ("" when empty); a List record leaves out
    the fields never set."""
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Vazia"})
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    assert got["telefone1_numero"] == "" and got["razao_social"] == "Vazia"
    listed = omie.ok(CLIENTES, "ListarClientes", {"clientesFiltro": {"codigo_cliente_integracao": uid}})
    assert "telefone1_numero" not in listed["clientes_cadastro"][0]
    assert listed["clientes_cadastro"][0]["razao_social"] == "Vazia"


@pytest.mark.real_omie
def test_consultar_unknown_id_is_client_105(omie):
    body = omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 999999999})
    assert body == {"faultstring": "ERROR: Cliente não cadastrado para o Código [999999999] !",
                    "faultcode": "SOAP-ENV:Client-105"}


def test_associar_attaches_a_code_to_a_client_typed_in_omie(omie, uid):
    answer = omie.ok(CLIENTES, "AssociarCodIntCliente", {"codigo_cliente_omie": 5500000102,
                                                         "codigo_cliente_integracao": uid})
    assert answer["codigo_status"] == "0" and answer["codigo_cliente_omie"] == 5500000102
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    assert got["codigo_cliente_omie"] == 5500000102
    # the integrator's next upsert by that code now alters the same client
    again = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "contato": "Maria"})
    assert again["codigo_cliente_omie"] == 5500000102


def test_associar_unknown_client_is_not_found(omie, uid):
    body = omie.fault(CLIENTES, "AssociarCodIntCliente", {"codigo_cliente_omie": 123,
                                                          "codigo_cliente_integracao": uid})
    assert body["faultstring"] == "ERROR: Cliente não cadastrado para o Código [123] !"


def test_associar_a_code_another_client_holds_is_refused(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Dono"})
    body = omie.fault(CLIENTES, "AssociarCodIntCliente", {"codigo_cliente_omie": 5500000101,
                                                          "codigo_cliente_integracao": uid})
    assert f"[{uid}]" in body["faultstring"]


def test_alter_by_id_with_an_unknown_code_is_refused(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_omie": 5500000101,
                                                  "codigo_cliente_integracao": uid, "contato": "x"})
    assert body["faultstring"] == f"ERROR: Cliente não cadastrado para o Código de Integração [{uid}]!"


def test_lote_of_clientes_answers_without_per_record_status(omie, uid):
    records = [{"codigo_cliente_integracao": f"{uid}-{i}", "razao_social": f"Lote {i}"} for i in range(3)]
    answer = omie.ok(CLIENTES, "UpsertClientesPorLote", {"lote": 7, "clientes_cadastro": records})
    assert set(answer) == {"lote", "codigo_status", "descricao_status"} and answer["lote"] == 7
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": f"{uid}-2"})
    assert got["razao_social"] == "Lote 2"


def test_lote_of_clientes_holds_at_most_50(omie, uid):
    records = [{"codigo_cliente_integracao": f"{uid}-{i}", "razao_social": "L"} for i in range(51)]
    omie.fault(CLIENTES, "UpsertClientesPorLote", {"lote": 1, "clientes_cadastro": records})
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": f"{uid}-0"})


def test_lote_of_clientes_with_a_bad_record_is_refused_whole(omie, uid):
    records = [{"codigo_cliente_integracao": f"{uid}-ok", "razao_social": "Boa"},
               {"codigo_cliente_integracao": f"{uid}-bad", "razao_social": "R" * 61}]
    omie.fault(CLIENTES, "UpsertClientesPorLote", {"lote": 2, "clientes_cadastro": records})
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": f"{uid}-ok"})


def test_each_app_key_is_its_own_company(omie, uid):
    if omie.real:
        pytest.skip("needs two sandbox keys")
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Só aqui"})
    other = {"app_key": "other-key", "app_secret": "other-secret"}
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid}, **other)
    # the demo's fixtures are the fixture company's only: a new company holds no clients
    seeded = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 5500000101})
    assert seeded["razao_social"] == "Padaria Pão Quente Ltda"
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 5500000101}, **other)


def test_email_list_is_checked(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "E",
                                        "email": "a@b.com.br, financeiro@b.com.br"})
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid,
                                                  "email": "a@b.com.br, financeiro.b.com.br"})
    assert body["faultstring"] == "ERROR: O e-mail [financeiro.b.com.br] informado na tag [email] é inválido!"


def test_alterar_needs_an_existing_client(omie, uid):
    body = omie.fault(CLIENTES, "AlterarCliente", {"codigo_cliente_integracao": uid, "razao_social": "N"})
    assert body["faultstring"] == f"ERROR: Cliente não cadastrado para o Código de Integração [{uid}]!"
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Antes"})
    assert omie.ok(CLIENTES, "AlterarCliente", {"codigo_cliente_integracao": uid,
                                                "razao_social": "Depois"})["codigo_status"] == "0"


def test_listar_resumido_has_five_fields(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Resumo"})
    page = omie.ok(CLIENTES, "ListarClientesResumido", {"clientesFiltro": {"codigo_cliente_integracao": uid}})
    [row] = page["clientes_cadastro_resumido"]
    assert set(row) == {"codigo_cliente", "codigo_cliente_integracao", "razao_social", "nome_fantasia", "cnpj_cpf"}


def test_date_filter_on_inclusion_or_alteration_date(omie, uid):
    """The clients typed in on 02/01/2024 (the demo's fixtures) are in a window of January 2024
    and outside one that ends in 2023."""
    from datetime import date

    today = date.today().strftime("%d/%m/%Y")
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Hoje"})
    recent = omie.ok(CLIENTES, "ListarClientes", {"registros_por_pagina": 500, "filtrar_por_data_de": today,
                                                  "filtrar_por_data_ate": today})
    codes = [r["codigo_cliente_omie"] for r in recent["clientes_cadastro"]]
    assert 5500000101 not in codes and len(codes) >= 1
    old = omie.ok(CLIENTES, "ListarClientes", {"filtrar_por_data_de": "01/01/2024", "filtrar_por_data_ate": "31/01/2024"})
    assert {r["codigo_cliente_omie"] for r in old["clientes_cadastro"]} == {5500000101, 5500000102}
    omie.fault(CLIENTES, "ListarClientes", {"filtrar_por_data_de": "01/01/2020", "filtrar_por_data_ate": "31/12/2023"})


def test_excluir_cliente_by_code_or_id(omie, uid):
    first = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Some"})
    gone = omie.ok(CLIENTES, "ExcluirCliente", {"codigo_cliente_integracao": uid})
    assert gone == {"codigo_cliente_omie": first["codigo_cliente_omie"], "codigo_cliente_integracao": uid,
                    "codigo_status": "0", "descricao_status": "Cliente excluído com sucesso!"}
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    body = omie.fault(CLIENTES, "ExcluirCliente", {"codigo_cliente_omie": first["codigo_cliente_omie"]})
    assert body == {"faultstring": f"ERROR: Cliente não cadastrado para o Código [{first['codigo_cliente_omie']}] !",
                    "faultcode": "SOAP-ENV:Client-105"}
    # its CNPJ/CPF and code are free again
    again = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Volta"})
    assert again["codigo_cliente_omie"] != first["codigo_cliente_omie"]


@pytest.mark.real_omie
def test_excluir_unknown_cliente_by_code_is_client_103(omie, uid):
    body = omie.fault(CLIENTES, "ExcluirCliente", {"codigo_cliente_integracao": "nao-existe-" + uid})
    assert body == {"faultstring": f"ERROR: Cliente não cadastrado para o Código de Integração "
                                   f"[nao-existe-{uid}]!", "faultcode": "SOAP-ENV:Client-103"}


def test_excluir_cliente_with_titulos_is_refused(omie, uid):
    client = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Devedor"})
    omie.ok("financas/contareceber/", "UpsertContaReceber", {
        "codigo_lancamento_integracao": uid, "codigo_cliente_fornecedor": client["codigo_cliente_omie"],
        "data_vencimento": "10/12/2030", "valor_documento": 10, "codigo_categoria": "1.01.02"})
    body = omie.fault(CLIENTES, "ExcluirCliente", {"codigo_cliente_integracao": uid})
    assert f"[{client['codigo_cliente_omie']}]" in body["faultstring"]
    omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
