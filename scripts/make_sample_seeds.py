"""Write the seeds of the sample company into dbt_project/seeds/ (deterministic: same output every run).

The sample company is Vértice Tecnologia e Consultoria Ltda, a small IT-services firm in São Paulo.
Check digits of every CNPJ and CPF are computed here (not typed by hand) so the good rows are valid;
the handful of bad rows (see dbt_project/seeds/README.md) are written on purpose, at the end of each
file, with keys in the 09xx range so they are easy to spot. IBGE city codes are real and carry a
valid IBGE check digit (checked below).

Run: .venv/bin/python scripts/make_sample_seeds.py
"""
from __future__ import annotations

import csv
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
RNG = random.Random(2026)

# (IBGE code, municipality, UF, DDD, CEP prefix): real codes, see ibge_digit_ok().
CITIES = [
    ("3550308", "São Paulo", "SP", "11", "01"), ("3509502", "Campinas", "SP", "19", "13"),
    ("3548500", "Santos", "SP", "13", "11"), ("3549904", "São José dos Campos", "SP", "12", "122"),
    ("3543402", "Ribeirão Preto", "SP", "16", "140"), ("3552205", "Sorocaba", "SP", "15", "180"),
    ("3525904", "Jundiaí", "SP", "11", "132"), ("3534401", "Osasco", "SP", "11", "060"),
    ("3304557", "Rio de Janeiro", "RJ", "21", "20"), ("3303302", "Niterói", "RJ", "21", "240"),
    ("3106200", "Belo Horizonte", "MG", "31", "30"), ("3170206", "Uberlândia", "MG", "34", "384"),
    ("3136702", "Juiz de Fora", "MG", "32", "360"), ("4106902", "Curitiba", "PR", "41", "80"),
    ("4113700", "Londrina", "PR", "43", "860"), ("4115200", "Maringá", "PR", "44", "870"),
    ("4314902", "Porto Alegre", "RS", "51", "90"), ("4305108", "Caxias do Sul", "RS", "54", "950"),
    ("4205407", "Florianópolis", "SC", "48", "880"), ("4209102", "Joinville", "SC", "47", "892"),
    ("4202404", "Blumenau", "SC", "47", "890"), ("2927408", "Salvador", "BA", "71", "40"),
    ("2611606", "Recife", "PE", "81", "50"), ("2304400", "Fortaleza", "CE", "85", "60"),
    ("5300108", "Brasília", "DF", "61", "70"), ("5208707", "Goiânia", "GO", "62", "74"),
    ("3205309", "Vitória", "ES", "27", "290"), ("1302603", "Manaus", "AM", "92", "69"),
    ("1501402", "Belém", "PA", "91", "66"), ("5002704", "Campo Grande", "MS", "67", "79"),
    ("5103403", "Cuiabá", "MT", "65", "78"), ("2408102", "Natal", "RN", "84", "59"),
    ("2507507", "João Pessoa", "PB", "83", "58"), ("2704302", "Maceió", "AL", "82", "57"),
    ("2800308", "Aracaju", "SE", "79", "49"), ("2211001", "Teresina", "PI", "86", "64"),
    ("2111300", "São Luís", "MA", "98", "65"),
]
CITY = {c[0]: c for c in CITIES}

STREETS = ["Rua Augusta", "Avenida Paulista", "Rua das Flores", "Avenida Brasil", "Rua XV de Novembro",
           "Rua Sete de Setembro", "Avenida Getúlio Vargas", "Rua Tiradentes", "Rua Dom Pedro II",
           "Avenida Santos Dumont", "Rua Marechal Deodoro", "Rua Barão do Rio Branco", "Avenida Afonso Pena",
           "Rua Voluntários da Pátria", "Avenida Sete de Setembro", "Rua Padre Anchieta"]
DISTRICTS = ["Centro", "Jardim América", "Vila Nova", "Bela Vista"]
LOCAL_DISTRICTS = {  # a few well-known neighbourhoods, so addresses read true
    "3550308": ["Bela Vista", "Pinheiros", "Vila Mariana", "Moema", "Santana"], "2611606": ["Boa Viagem"],
    "3106200": ["Savassi", "Funcionários"], "4106902": ["Batel", "Água Verde"], "4314902": ["Moinhos de Vento"],
    "2304400": ["Aldeota", "Meireles"], "5300108": ["Asa Sul", "Asa Norte"], "5208707": ["Setor Bueno"],
    "3205309": ["Praia do Canto"], "4205407": ["Trindade", "Centro"], "2927408": ["Pituba", "Barra"],
    "3304557": ["Botafogo", "Copacabana", "Centro"],
}

# Clients that buy services: (legal name, trade name, tags, simples nacional)
COMPANIES = [
    ("Construtora Horizonte Azul Ltda", "Horizonte Azul", "Cliente;Construção", "N"),
    ("Clínica Odontológica Sorriso Pleno Ltda", "Sorriso Pleno", "Cliente;Saúde", "S"),
    ("Transportadora Rota Sul Ltda", "Rota Sul", "Cliente;Logística", "N"),
    ("Escola Pequeno Saber Ltda", "Pequeno Saber", "Cliente;Educação", "S"),
    ("Supermercado Bom Preço Ltda", "Bom Preço", "Cliente;Varejo", "N"),
    ("Farmácia Vida Saudável Ltda", "Vida Saudável", "Cliente;Saúde;Varejo", "S"),
    ("Advocacia Moreira & Associados", "Moreira Advogados", "Cliente;Serviços", "N"),
    ("Hotel Mar Azul Ltda", "Hotel Mar Azul", "Cliente;Turismo", "N"),
    ("Indústria de Móveis Carvalho Ltda", "Móveis Carvalho", "Cliente;Indústria", "N"),
    ("Laboratório Análise Certa Ltda", "Análise Certa", "Cliente;Saúde", "N"),
    ("Restaurante Sabor da Terra Ltda", "Sabor da Terra", "Cliente;Alimentação", "S"),
    ("Auto Peças Estrada Real Ltda", "Estrada Real", "Cliente;Varejo", "S"),
    ("Cooperativa Agrícola Vale Verde", "Vale Verde", "Cliente;Agro", "N"),
    ("Imobiliária Casa Nova Ltda", "Casa Nova Imóveis", "Cliente;Imobiliário", "S"),
    ("Academia Corpo em Movimento Ltda", "Corpo em Movimento", "Cliente;Serviços", "S"),
    ("Editora Letras do Brasil Ltda", "Letras do Brasil", "Cliente;Mídia", "N"),
    ("Gráfica Impressão Rápida Ltda", "Impressão Rápida", "Cliente;Indústria", "S"),
    ("Contabilidade Precisão Ltda", "Precisão Contábil", "Cliente;Serviços", "S"),
    ("Distribuidora de Bebidas Norte Sul Ltda", "Norte Sul Bebidas", "Cliente;Distribuição", "N"),
    ("Pet Shop Amigo Fiel Ltda", "Amigo Fiel", "Cliente;Varejo", "S"),
    ("Engenharia Estrutural Alicerce Ltda", "Alicerce Engenharia", "Cliente;Construção", "N"),
    ("Consultório Médico Bem Estar Ltda", "Bem Estar", "Cliente;Saúde", "S"),
]
PEOPLE = [
    ("João Carlos Pereira", "Cliente;Pessoa Física"), ("Ana Beatriz Lima", "Cliente;Pessoa Física"),
    ("Marcos Antônio Ribeiro", "Cliente;Pessoa Física"), ("Fernanda Oliveira Santos", "Cliente;Pessoa Física"),
    ("Ricardo Almeida Costa", "Cliente;Pessoa Física"), ("Juliana Ferreira Rocha", "Cliente;Pessoa Física"),
]
# Suppliers are clientes in Omie too, tagged Fornecedor: (legal name, trade name, PJ?, category they bill)
SUPPLIERS = [
    ("Imobiliária Paulista Administração de Bens Ltda", "Imobiliária Paulista", True, "2.02.01"),
    ("Companhia de Energia Luz Forte S.A.", "Luz Forte", True, "2.02.02"),
    ("Papelaria e Informática Central Ltda", "Papelaria Central", True, "2.02.03"),
    ("Agência Pixel Criativo Marketing Ltda", "Pixel Criativo", True, "2.03.01"),
    ("Nuvem Brasil Hospedagem de Dados Ltda", "Nuvem Brasil", True, "2.01.01"),
    ("Rafael Nunes Teixeira", "Rafael Nunes (freelancer DevOps)", False, "2.01.01"),
    ("Contabilidade Exata Assessoria Ltda", "Contabilidade Exata", True, "2.01.01"),
]
REPS = [
    ("VEND-01", "Carla Mendes", "carla.mendes@verticetec.com.br", "5.00", "S", "N", "true"),
    ("VEND-02", "Bruno Tavares", "bruno.tavares@verticetec.com.br", "4.50", "S", "S", "true"),
    ("VEND-03", "Patrícia Gomes", "patricia.gomes@verticetec.com.br", "6.00", "N", "S", "true"),
    ("VEND-04", "Diego Martins", "diego.martins@verticetec.com.br", "3.00", "N", "N", "true"),
    ("VEND-05", "Luciana Prado", "luciana.prado@verticetec.com.br", "5.50", "S", "N", "false"),
]
PROJECTS = [
    ("PRJ-ERP-2026", "Implantação ERP Horizonte Azul", "true", "2026-03-01"),
    ("PRJ-CLOUD-01", "Migração para nuvem", "true", "2026-05-15"),
    ("PRJ-SUPORTE", "Suporte técnico recorrente", "true", "2026-01-02"),
    ("PRJ-BI-2026", "Painéis de BI para varejo", "true", "2026-07-01"),
    ("PRJ-SITE-02", "Novo site institucional", "false", "2025-10-01"),
    ("PRJ-LGPD-01", "Adequação à LGPD", "true", "2026-09-01"),
]
CATEGORY_ADDITIONS = [
    ("1.01", "Consultoria em TI", "Projetos de consultoria cobrados por hora"),
    ("1.01", "Suporte Técnico Mensal", "Contratos de suporte recorrentes"),
    ("1.02", "Multas e Juros Recebidos", "Encargos de clientes em atraso"),
    ("2.01", "Licenças de Software Revendidas", "Custo das licenças repassadas a clientes"),
    ("2.02", "Internet e Telefonia", "Links de dados e telefonia fixa e móvel"),
    ("2.03", "Viagens e Deslocamentos", "Visitas comerciais a clientes fora de São Paulo"),
]
# The demo fixtures' two legacy clients (sandbox_fixtures: demo, docs/sandbox.md) get integration codes through AssociarCodIntCliente.
LEGACY_LINKS = [
    ("5500000101", "CLI-0501", "Padaria Pão Quente Ltda"),
    ("5500000102", "CLI-0502", "Maria Aparecida Souza"),
]
LEGACY_DOCUMENTS = {"11222333000181", "52998224725"}
BANK_ACCOUNTS = ("4850011001", "4850011002", "4850011003")   # Caixinha, Itaú c/c, Banco do Brasil c/c


def ibge_digit_ok(code: str) -> bool:
    """IBGE's municipality check digit (weights 1,2,1,2,1,2; two-digit products summed)."""
    total = 0
    for i, ch in enumerate(code[:6]):
        p = int(ch) * (1 if i % 2 == 0 else 2)
        total += p if p < 10 else p - 9
    return (10 - total % 10) % 10 == int(code[6])


def _mod11_digit(digits: list[int], weights: list[int]) -> int:
    r = sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if r < 2 else 11 - r


def cnpj_digits(base12: str) -> str:
    """The two check digits of a CNPJ whose first twelve digits are base12."""
    d = [int(c) for c in base12]
    d1 = _mod11_digit(d, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    d2 = _mod11_digit(d + [d1], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    return f"{d1}{d2}"


def cpf_digits(base9: str) -> str:
    d = [int(c) for c in base9]
    d1 = _mod11_digit(d, list(range(10, 1, -1)))
    d2 = _mod11_digit(d + [d1], list(range(11, 1, -1)))
    return f"{d1}{d2}"


def new_cnpj() -> str:
    base = f"{RNG.randint(10_000_000, 99_999_999)}0001"
    n = base + cnpj_digits(base)
    assert n not in LEGACY_DOCUMENTS
    return f"{n[:2]}.{n[2:5]}.{n[5:8]}/{n[8:12]}-{n[12:]}"


def new_cpf() -> str:
    base = f"{RNG.randint(100_000_000, 999_999_999)}"
    n = base + cpf_digits(base)
    assert n not in LEGACY_DOCUMENTS
    return f"{n[:3]}.{n[3:6]}.{n[6:9]}-{n[9:]}"


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in "".join(c if c.isalnum() else " " for c in plain).split()
             if w not in {"ltda", "s", "a", "de", "da", "do", "e", "em"}]
    return "".join(words[:3])


def address(city: tuple) -> dict:
    prefix = city[4]
    cep = (prefix + "".join(str(RNG.randint(0, 9)) for _ in range(8 - len(prefix))))
    return {
        "street": RNG.choice(STREETS), "street_number": str(RNG.randint(10, 2999)),
        "complement": RNG.choice(["", "", "Sala 12", "Conjunto 401", "Loja 2", "Andar 5"]),
        "district": RNG.choice(LOCAL_DISTRICTS.get(city[0], DISTRICTS)), "postal_code": f"{cep[:5]}-{cep[5:]}", "city_ibge": city[0],
    }


def landline(ddd: str) -> str:
    return f"({ddd}) {RNG.randint(2000, 3999)}-{RNG.randint(0, 9999):04d}"


def mobile(ddd: str) -> str:
    return f"({ddd}) 9{RNG.randint(6000, 9999)}-{RNG.randint(0, 9999):04d}"


CUSTOMER_COLUMNS = ["customer_id", "person_type", "legal_name", "trade_name", "document",
                    "municipal_registration", "contact_name", "email", "phone", "phone2", "website",
                    "street", "street_number", "complement", "district", "postal_code", "city_ibge",
                    "simples_nacional", "credit_limit", "sales_rep_id", "tags", "active", "notes", "created_on"]


def customers() -> list[dict]:
    rows = []
    contacts = ["Mariana", "Paulo", "Sandra", "Roberto", "Tatiane", "Eduardo", "Camila", "Gustavo"]
    for i, (legal, trade, tags, simples) in enumerate(COMPANIES, start=1):
        city = CITIES[(i * 7) % len(CITIES)] if i > 4 else CITIES[0]
        domain = slug(trade) + ".com.br"
        rows.append({
            "customer_id": f"CLI-{i:04d}", "person_type": "PJ", "legal_name": legal, "trade_name": trade,
            "document": new_cnpj(), "municipal_registration": str(RNG.randint(10_000_000, 99_999_999)),
            "contact_name": f"{RNG.choice(contacts)} ({RNG.choice(['Financeiro', 'TI', 'Diretoria'])})",
            "email": f"financeiro@{domain}", "phone": landline(city[3]),
            "phone2": mobile(city[3]) if i % 3 == 0 else "", "website": f"https://www.{domain}",
            **address(city), "simples_nacional": simples,
            "credit_limit": f"{RNG.choice([5000, 10000, 15000, 25000, 50000])}.00",
            "sales_rep_id": REPS[i % 4][0], "tags": tags, "active": "true",
            "notes": "Cliente desde 2024" if i % 5 == 0 else "", "created_on": f"2025-{(i % 12) + 1:02d}-10",
        })
    for j, (name, tags) in enumerate(PEOPLE, start=len(COMPANIES) + 1):
        city = CITIES[(j * 5) % len(CITIES)]
        first, last = name.split()[0], name.split()[-1]
        rows.append({
            "customer_id": f"CLI-{j:04d}", "person_type": "PF", "legal_name": name, "trade_name": name,
            "document": new_cpf(), "municipal_registration": "", "contact_name": name,
            "email": f"{slug(first)}.{slug(last)}@{RNG.choice(['gmail.com', 'outlook.com', 'uol.com.br'])}",
            "phone": mobile(city[3]), "phone2": "", "website": "", **address(city),
            "simples_nacional": "N", "credit_limit": "3000.00", "sales_rep_id": REPS[j % 4][0],
            "tags": tags, "active": "true" if j % 6 else "false", "notes": "", "created_on": "2025-11-03",
        })
    for k, (legal, trade, is_pj, _category) in enumerate(SUPPLIERS, start=1):
        city = CITIES[0] if k % 3 else CITIES[(k * 3) % len(CITIES)]
        domain = slug(trade) + ".com.br"
        rows.append({
            "customer_id": f"FOR-{k:04d}", "person_type": "PJ" if is_pj else "PF", "legal_name": legal,
            "trade_name": trade, "document": new_cnpj() if is_pj else new_cpf(),
            "municipal_registration": str(RNG.randint(10_000_000, 99_999_999)) if is_pj else "",
            "contact_name": "Contas a receber", "email": f"cobranca@{domain}" if is_pj else "rafael.nunes@proton.me",
            "phone": landline(city[3]), "phone2": "", "website": f"https://www.{domain}" if is_pj else "",
            **address(city), "simples_nacional": "N", "credit_limit": "", "sales_rep_id": "",
            "tags": "Fornecedor", "active": "true", "notes": "", "created_on": "2024-06-01",
        })
    # --- bad rows: validation must reject them (seeds/README.md) ---
    good_base = f"{RNG.randint(10_000_000, 99_999_999)}0001"
    good = good_base + cnpj_digits(good_base)
    broken = good[:13] + str((int(good[13]) + 1) % 10)          # last check digit off by one
    bad_common = {"municipal_registration": "", "phone2": "", "website": "", "simples_nacional": "N",
                  "credit_limit": "8000.00", "sales_rep_id": "VEND-02", "active": "true", "created_on": "2026-10-01"}
    rows.append({**bad_common, "customer_id": "CLI-0901", "person_type": "PJ",
                 "legal_name": "Metalúrgica Aço Forte Ltda", "trade_name": "Aço Forte",
                 "document": f"{broken[:2]}.{broken[2:5]}.{broken[5:8]}/{broken[8:12]}-{broken[12:]}",
                 "contact_name": "Sérgio (Compras)", "email": "compras@acoforte.com.br",
                 "phone": landline("11"), **address(CITY["3550308"]),
                 "tags": "Cliente;Indústria", "notes": "CNPJ digitado com erro no cadastro"})
    rows.append({**bad_common, "customer_id": "CLI-0902", "person_type": "PJ",
                 "legal_name": "Associação Beneficente dos Amigos do Hospital Regional de Campinas e Região",
                 "trade_name": "Amigos do Hospital", "document": new_cnpj(),
                 "contact_name": "Irmã Lúcia", "email": "contato@amigosdohospital.org.br",
                 "phone": landline("19"), **address(CITY["3509502"]), "tags": "Cliente;Terceiro Setor",
                 "notes": "Razão social longa demais para o Omie (60)"})
    rows.append({**bad_common, "customer_id": "CLI-0903", "person_type": "PJ",
                 "legal_name": "Padaria Estrela da Manhã Ltda", "trade_name": "Padaria Estrela",
                 "document": new_cnpj(), "contact_name": "Dona Rosa",
                 "email": "financeiro.padariaestrela.com.br", "phone": landline("31"),
                 **address(CITY["3106200"]), "tags": "Cliente;Alimentação", "notes": "E-mail sem @"})
    return rows


def installment_dates(start: date, n: int) -> list[date]:
    out, d = [], start
    for _ in range(n):
        out.append(d)
        month = d.month % 12 + 1
        d = date(d.year + (d.month == 12), month, min(d.day, 28))
    return out


RECEIVABLE_COLUMNS = ["receivable_id", "customer_id", "issue_date", "due_date", "expected_date", "amount",
                      "category_code", "bank_account_id", "document_number", "installment", "invoice_number",
                      "project_id", "sales_rep_id", "iss_amount", "iss_withheld", "status", "notes"]


def receivables(custs: list[dict]) -> list[dict]:
    rows, n = [], 0
    clients = [c for c in custs if c["customer_id"].startswith("CLI-0") and not c["customer_id"].startswith("CLI-09")]
    for c in clients:
        parcels = RNG.choice([2, 3, 3, 4])
        total = RNG.choice([1800, 2400, 3600, 4500, 6000, 7200, 9600, 12000])
        first_due = RNG.choice([date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]).replace(
            day=RNG.choice([5, 10, 15, 20, 25]))
        invoice = RNG.randint(1000, 9999)
        project = RNG.choice(["", "", "PRJ-SUPORTE", "PRJ-CLOUD-01", "PRJ-BI-2026"])
        category = RNG.choice(["1.01.02", "1.01.02", "1.01.02", "1.01.01"])
        for p, due in enumerate(installment_dates(first_due, parcels), start=1):
            n += 1
            amount = round(total / parcels, 2)
            withheld = "S" if c["person_type"] == "PJ" and c["simples_nacional"] == "N" and category == "1.01.02" else "N"
            rows.append({
                "receivable_id": f"CR-{n:04d}", "customer_id": c["customer_id"],
                "issue_date": (first_due - timedelta(days=30)).isoformat(), "due_date": due.isoformat(),
                "expected_date": (due + timedelta(days=RNG.choice([0, 0, 0, 2]))).isoformat(),
                "amount": f"{amount:.2f}", "category_code": category,
                "bank_account_id": RNG.choice(BANK_ACCOUNTS[1:]) if amount > 500 else BANK_ACCOUNTS[0],
                "document_number": f"NFS-{invoice}", "installment": f"{p:03d}/{parcels:03d}",
                "invoice_number": str(invoice), "project_id": project, "sales_rep_id": c["sales_rep_id"],
                "iss_amount": f"{amount * 0.029:.2f}" if withheld == "S" else "",
                "iss_withheld": withheld, "status": "aberto", "notes": "",
            })
    # the two legacy clients, known to Omie only after AssociarCodIntCliente
    for code, amount in (("CLI-0501", "1350.00"), ("CLI-0502", "480.00")):
        n += 1
        rows.append({"receivable_id": f"CR-{n:04d}", "customer_id": code, "issue_date": "2026-12-01",
                     "due_date": "2027-01-10", "expected_date": "2027-01-10", "amount": amount,
                     "category_code": "1.01.02", "bank_account_id": BANK_ACCOUNTS[1],
                     "document_number": f"NFS-{RNG.randint(1000, 9999)}", "installment": "001/001",
                     "invoice_number": "", "project_id": "", "sales_rep_id": "VEND-01", "iss_amount": "",
                     "iss_withheld": "N", "status": "aberto", "notes": "Cliente antigo, cadastrado à mão no Omie"})
    base = {"issue_date": "2026-12-15", "expected_date": "", "category_code": "1.01.02",
            "bank_account_id": BANK_ACCOUNTS[1], "installment": "001/001", "invoice_number": "",
            "project_id": "", "sales_rep_id": "VEND-02", "iss_amount": "", "iss_withheld": "N"}
    rows.append({**base, "receivable_id": "CR-0950", "customer_id": "CLI-0003", "due_date": "2027-02-10",
                 "amount": "2200.00", "document_number": "NFS-7001", "status": "cancelado",
                 "notes": "Nota cancelada a pedido do cliente"})
    # --- bad rows ---
    rows.append({**base, "receivable_id": "CR-0901", "customer_id": "CLI-0005", "due_date": "2027-02-30",
                 "amount": "3150.00", "document_number": "NFS-7002", "status": "aberto",
                 "notes": "Vencimento digitado errado (30 de fevereiro)"})
    rows.append({**base, "receivable_id": "CR-0902", "customer_id": "CLI-0901", "due_date": "2027-03-15",
                 "amount": "5400.00", "document_number": "NFS-7003", "status": "aberto",
                 "notes": "Cliente com CNPJ inválido: deve ficar retido"})
    return rows


PAYABLE_COLUMNS = ["payable_id", "supplier_id", "issue_date", "entry_date", "due_date", "amount",
                   "category_code", "bank_account_id", "invoice_number", "document_number", "installment",
                   "project_id", "iss_withheld", "status", "notes"]


def payables() -> list[dict]:
    rows, n = [], 0
    plan = {  # supplier -> (months billed, amount range)
        "FOR-0001": (6, (8500, 8500)), "FOR-0002": (6, (620, 1150)), "FOR-0003": (3, (180, 640)),
        "FOR-0004": (4, (1500, 4200)), "FOR-0005": (6, (2300, 2900)), "FOR-0006": (4, (3000, 6000)),
        "FOR-0007": (6, (1200, 1200)),
    }
    for k, (supplier, (months, (lo, hi))) in enumerate(plan.items(), start=1):
        category = SUPPLIERS[k - 1][3]
        for m in range(1, months + 1):
            n += 1
            due = date(2027, m, [10, 15, 5, 20, 25, 12, 8][k - 1])
            amount = lo if lo == hi else RNG.randint(lo * 100, hi * 100) / 100
            nf = RNG.randint(10000, 99999)
            rows.append({
                "payable_id": f"CP-{n:04d}", "supplier_id": supplier,
                "issue_date": (due - timedelta(days=12)).isoformat(),
                "entry_date": (due - timedelta(days=10)).isoformat(), "due_date": due.isoformat(),
                "amount": f"{amount:.2f}", "category_code": category,
                "bank_account_id": BANK_ACCOUNTS[2] if k % 2 else BANK_ACCOUNTS[1],
                "invoice_number": str(nf), "document_number": f"NF-{nf}", "installment": "001/001",
                "project_id": "PRJ-CLOUD-01" if supplier == "FOR-0005" else "",
                "iss_withheld": "S" if supplier == "FOR-0006" else "N", "status": "aberto",
                "notes": f"Competência {m:02d}/2027",
            })
    base = {"issue_date": "2027-01-05", "entry_date": "2027-01-06", "bank_account_id": BANK_ACCOUNTS[1],
            "installment": "001/001", "project_id": ""}
    rows.append({**base, "payable_id": "CP-0950", "supplier_id": "FOR-0004", "due_date": "2027-02-05",
                 "amount": "990.00", "category_code": "2.03.01", "invoice_number": "55501",
                 "document_number": "NF-55501", "iss_withheld": "N", "status": "cancelado",
                 "notes": "Campanha cancelada; fornecedor emitiu nota de cancelamento"})
    # --- bad row: a flag out of its S/N domain ---
    rows.append({**base, "payable_id": "CP-0901", "supplier_id": "FOR-0006", "due_date": "2027-02-18",
                 "amount": "4100.00", "category_code": "2.01.01", "invoice_number": "55502",
                 "document_number": "NF-55502", "iss_withheld": "X", "status": "aberto",
                 "notes": "Retenção de ISS marcada com X na planilha"})
    return rows


CONTRACT_COLUMNS = ["contract_id", "customer_id", "contract_number", "status", "start_date", "end_date",
                    "billing_day", "billing_frequency", "due_rule", "due_days", "due_fixed_day", "category_code",
                    "sales_rep_id", "project_id", "contact_name", "service_city_ibge", "email_invoice",
                    "email_boleto", "billing_emails", "notes"]
ITEM_COLUMNS = ["contract_id", "seq", "item_code", "service_description", "lc116_code",
                "municipal_service_code", "tax_nature", "quantity", "unit_price", "iss_rate", "iss_withheld",
                "category_code"]
DEPARTMENT_COLUMNS = ["contract_id", "department_code", "department_name", "share_pct"]

SERVICES = [  # (description, LC 116 item, São Paulo municipal code, unit price)
    ("Suporte técnico em informática, 40 horas mensais, atendimento remoto e presencial", "1.07", "02800", 3200.00),
    ("Hospedagem e administração de servidores em nuvem", "1.03", "02919", 1850.00),
    ("Licenciamento de uso do sistema de gestão Vértice ERP", "1.05", "02682", 990.00),
    ("Consultoria em segurança da informação e LGPD", "1.06", "02798", 2500.00),
    ("Manutenção de painéis de BI e rotinas de dados", "1.04", "02690", 1400.00),
]


def contracts() -> tuple[list[dict], list[dict], list[dict]]:
    heads, items, deps = [], [], []
    specs = [  # customer, frequency, status, services, departments
        ("CLI-0001", "mensal", "ativo", [0, 1], [("SUP", "Suporte", 60), ("INF", "Infraestrutura", 40)]),
        ("CLI-0002", "mensal", "ativo", [0], [("SUP", "Suporte", 100)]),
        ("CLI-0003", "mensal", "ativo", [1, 4], [("INF", "Infraestrutura", 70), ("DAD", "Dados", 30)]),
        ("CLI-0005", "mensal", "ativo", [2, 0], [("SUP", "Suporte", 50), ("DEV", "Desenvolvimento", 50)]),
        ("CLI-0008", "trimestral", "ativo", [3], [("SEG", "Segurança", 100)]),
        ("CLI-0010", "mensal", "suspenso", [0], [("SUP", "Suporte", 100)]),
        ("CLI-0013", "anual", "ativo", [2], [("DEV", "Desenvolvimento", 100)]),
        ("CLI-0019", "mensal", "ativo", [4, 1], [("DAD", "Dados", 50), ("INF", "Infraestrutura", 50)]),
    ]
    for i, (cust, freq, status, services, splits) in enumerate(specs, start=1):
        cid = f"CTR-{i:03d}"
        fixed = i % 2 == 0
        heads.append({
            "contract_id": cid, "customer_id": cust, "contract_number": f"{i:03d}/2026", "status": status,
            "start_date": f"2026-{i:02d}-01", "end_date": f"2027-{i:02d}-01" if freq != "anual" else "2028-12-31",
            "billing_day": str([1, 5, 10, 15][i % 4]), "billing_frequency": freq,
            "due_rule": "dia_fixo" if fixed else "dias_apos", "due_days": "" if fixed else "10",
            "due_fixed_day": "20" if fixed else "", "category_code": "1.01.02",
            "sales_rep_id": REPS[i % 4][0], "project_id": "PRJ-SUPORTE" if 0 in services else "",
            "contact_name": RNG.choice(["Mariana Costa", "Paulo Henrique", "Sandra Reis"]),
            "service_city_ibge": "3550308", "email_invoice": "S", "email_boleto": "S" if i % 3 else "N",
            "billing_emails": "", "notes": "Reajuste anual pelo IPCA" if i % 2 else "",
        })
        for seq, s in enumerate(services, start=1):
            desc, lc116, munic, price = SERVICES[s]
            items.append({
                "contract_id": cid, "seq": str(seq), "item_code": f"{cid}-{seq:02d}", "service_description": desc,
                "lc116_code": lc116, "municipal_service_code": munic, "tax_nature": "01", "quantity": "1",
                "unit_price": f"{price:.2f}", "iss_rate": "2.90", "iss_withheld": "N",
                "category_code": "1.01.02",
            })
        for code, name, pct in splits:
            deps.append({"contract_id": cid, "department_code": f"DEP-{code}", "department_name": name,
                         "share_pct": f"{pct:.2f}"})
    return heads, items, deps


def write(name: str, columns: list[str], rows: list[dict]) -> None:
    with open(SEEDS / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    assert all(ibge_digit_ok(c[0]) for c in CITIES), "an IBGE code has a wrong check digit"
    SEEDS.mkdir(parents=True, exist_ok=True)
    write("raw_municipios", ["ibge_code", "name", "uf", "ddd"], [
        {"ibge_code": c[0], "name": c[1], "uf": c[2], "ddd": c[3]} for c in CITIES])
    custs = customers()
    write("raw_customers", CUSTOMER_COLUMNS, custs)
    write("raw_sales_reps", ["rep_id", "name", "email", "commission_pct", "can_invoice", "sees_own_orders_only",
                             "active"], [dict(zip(["rep_id", "name", "email", "commission_pct", "can_invoice",
                                                    "sees_own_orders_only", "active"], r)) for r in REPS])
    write("raw_projects", ["project_id", "name", "active", "started_on"],
          [dict(zip(["project_id", "name", "active", "started_on"], p)) for p in PROJECTS]
          + [{"project_id": "PRJ-0901", "name": "", "active": "true", "started_on": "2026-11-01"}])
    write("raw_category_additions", ["group_code", "description", "nature"],
          [dict(zip(["group_code", "description", "nature"], c)) for c in CATEGORY_ADDITIONS])
    write("raw_receivables", RECEIVABLE_COLUMNS, receivables(custs))
    write("raw_payables", PAYABLE_COLUMNS, payables())
    heads, items, deps = contracts()
    write("raw_contracts", CONTRACT_COLUMNS, heads)
    write("raw_contract_items", ITEM_COLUMNS, items)
    write("raw_contract_departments", DEPARTMENT_COLUMNS, deps)
    write("raw_legacy_client_links", ["omie_client_id", "customer_id", "legal_name"],
          [dict(zip(["omie_client_id", "customer_id", "legal_name"], r)) for r in LEGACY_LINKS])


if __name__ == "__main__":
    main()
