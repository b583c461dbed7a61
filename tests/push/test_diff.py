"""What is sent: new, changed, previously refused; never an Incluir twice."""
from omie_push import catalog
from omie_push.push import diff

CLIENTES = catalog.get("clientes")
CATEGORIAS = catalog.get("categorias")
EXCLUIR = catalog.get("contas_pagar_excluir")


def test_hash_is_canonical_and_sensitive_to_values():
    a = diff.payload_hash({"b": 1, "a": "ã"})
    assert a == diff.payload_hash({"a": "ã", "b": 1})
    assert a != diff.payload_hash({"a": "ã", "b": 2})
    assert len(a) == 64


def test_decide_new_changed_unchanged_full_refresh():
    assert diff.decide(CLIENTES, None, "h1") == "send"          # new, or refused before
    assert diff.decide(CLIENTES, "h0", "h1") == "send"          # changed
    assert diff.decide(CLIENTES, "h1", "h1") == "unchanged"
    assert diff.decide(CLIENTES, "h1", "h1", full_refresh=True) == "send"


def test_category_in_ledger_is_never_included_again():
    assert diff.decide(CATEGORIAS, "h1", "h2") == "unchanged"
    assert diff.decide(CATEGORIAS, "h1", "h1", full_refresh=True) == "unchanged"
    assert diff.decide(CATEGORIAS, None, "h1") == "send"
    assert diff.decide(EXCLUIR, "h1", "h1", full_refresh=True) == "unchanged"


def test_keys():
    assert diff.key_of(CLIENTES, {"codigo_cliente_integracao": "C-1"}) == "C-1"
    assert diff.key_of(CLIENTES, {"codigo_cliente_integracao": None}) is None
    assert diff.key_of(CATEGORIAS, {"categoria_superior": "2.02", "descricao": " Internet "}) == "2.02|Internet"
    assert diff.key_of(EXCLUIR, {"codigo_lancamento_integracao": None, "codigo_lancamento_omie": 55}) \
        == "codigo_lancamento_omie:55"
    assert diff.lookup_of(CLIENTES, "C-1") == {"codigo_cliente_integracao": "C-1"}
    assert diff.lookup_of(CATEGORIAS, "2.02|x") is None
