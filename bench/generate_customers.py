"""Realistic customer spreadsheets for the import benchmark.

usage: python bench/generate_customers.py ROWS OUT.xlsx
Peruvian companies and persons (valid RUC/DNI check digits), Honduran
companies with departments, contacts for one customer in ten.
"""

import importlib
import importlib.util
import os
import random
import sys

from stdnum.pe import ruc as pe_ruc

# The addon's pure-Python tools, without importing the addon (and Odoo).
_TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "clientes_aduanas", "tools")
_spec = importlib.util.spec_from_file_location(
    "clientes_aduanas_tools", os.path.join(_TOOLS, "__init__.py"), submodule_search_locations=[_TOOLS]
)
sys.modules["clientes_aduanas_tools"] = importlib.util.module_from_spec(_spec)
sheet = importlib.import_module("clientes_aduanas_tools.customer_spreadsheet")

PE_STATES = ["Lima", "Arequipa", "Cusco", "Piura", "La Libertad", "Callao"]
HN_STATES = ["Cortés", "Francisco Morazán", "Atlántida", "Olancho", "Yoro"]
STREETS = ["Av. Javier Prado", "Jr. de la Unión", "Calle Los Olivos", "Av. Arequipa", "Barrio El Centro"]
WORDS = ["Andina", "Pacífico", "Sur", "Norte", "Global", "Logística", "Comercial", "Inversiones", "Textil"]


def ruc(number, prefix="20"):
    body = f"{prefix}{number:08d}"
    return body + pe_ruc.calc_check_digit(body)


def customer(i, rng):
    kind = i % 10
    row = {
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 3000)}",
        "email": f"cliente{i}@empresa{i % 97}.example.com",
        "phone": f"+51 1 {rng.randint(2000000, 7999999)}",
        "category": rng.choice(["PRO", "NORMAL"]),
        "customer_class": "EXTERNO",
        "detraction_required": rng.choice([sheet.YES, sheet.NO]),
        "phone_is_whatsapp": sheet.NO,
    }
    if kind < 7:
        row.update(
            document_type="RUC",
            vat=ruc(10_000_000 + i),
            name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i} S.A.C.",
            company_type="Jurídica",
            city="Lima",
            state=rng.choice(PE_STATES),
            country="PE",
        )
    elif kind < 9:
        row.update(
            document_type="DNI",
            vat=f"{40_000_000 + i:08d}",
            name=f"Persona {i} {rng.choice(WORDS)}",
            company_type="Natural",
            country="PE",
        )
    else:
        row.update(
            document_type="RTN",
            vat=f"0801{i:010d}",
            name=f"Exportadora {rng.choice(WORDS)} {i} S. de R.L.",
            company_type="Jurídica",
            city="Tegucigalpa",
            state=rng.choice(HN_STATES),
            country="HN",
            phone=f"+504 2{rng.randint(1000000, 9999999)}",
        )
    return row


def generate(rows, seed=7, with_contacts=True):
    rng = random.Random(seed)
    customers, contacts = [], []
    for i in range(rows):
        row = customer(i, rng)
        customers.append([row.get(column.key, "") for column in sheet.CUSTOMER_COLUMNS])
        if with_contacts and i % 10 == 0:
            contacts.append(
                [
                    row["vat"],
                    f"Contacto {i}",
                    "Jefe de Operaciones",
                    "+51 999 000 000",
                    f"ops{i}@empresa.example.com",
                    sheet.YES,
                ]
            )
    return customers, contacts


def write(rows, path, with_contacts=True):
    customers, contacts = generate(rows, with_contacts=with_contacts)
    content = sheet.build_xlsx(customers, contacts, sheet.CUSTOMER_COLUMNS, sheet.CONTACT_COLUMNS)
    with open(path, "wb") as handle:
        handle.write(content)
    return customers, contacts


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])
