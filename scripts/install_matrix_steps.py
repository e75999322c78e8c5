# Steps of scripts/install_matrix.sh, run inside `odoo-bin shell` (which
# provides `env`): MATRIX_STEP says which one, MATRIX_SNAPSHOT where the
# snapshot of the seeded data is kept between processes. Written against
# fields every released version of the addon has: the upgrade scenario seeds
# with the previous version installed.
import json
import os
import sys

STEP = os.environ["MATRIX_STEP"]
SNAPSHOT = os.environ.get("MATRIX_SNAPSHOT")
EXPECT_PE = os.environ.get("MATRIX_EXPECT_PE") == "1"
REF = "ca-matrix-"  # res.partner.ref of the seeded customers


def ruc(body):
    """A valid RUC from its first ten digits (SUNAT's check digit)."""
    factors = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    digit = 11 - sum(int(d) * f for d, f in zip(body, factors, strict=True)) % 11
    return body + str({10: 0, 11: 1}.get(digit, digit))


def fail(message):
    print(f"MATRIX-FAIL {message}")
    sys.exit(1)


def id_type(code):
    found = env["l10n_latam.identification.type"]._get_by_document_code(code)  # noqa: F821
    if not found:
        fail(f"no identification type carries the rule {code}")
    return found


def seed():
    env = globals()["env"]
    Partner = env["res.partner"].with_context(tracking_disable=True)
    pe, hn = env.ref("base.pe"), env.ref("base.hn")
    common = {
        "is_registered_customer": True,
        "street": "Av. Arequipa 100",
        "city": "Lima",
        "state_id": env.ref("base.state_pe_15").id,
        "country_id": pe.id,
        "phone": "+51 1 4445555",
    }
    vals_list = [
        dict(
            common,
            name=f"Empresa {i} SAC",
            ref=f"{REF}ruc-{i}",
            is_company=True,
            l10n_latam_identification_type_id=id_type("pe_ruc").id,
            vat=ruc(f"205{i:07d}"),
            email=f"empresa{i}@matrix.example.pe",
        )
        for i in range(3)
    ]
    vals_list += [
        dict(
            common,
            name=f"Persona {i} Quispe",
            ref=f"{REF}dni-{i}",
            l10n_latam_identification_type_id=id_type("pe_dni").id,
            vat=f"4{i:07d}",
            email=f"persona{i}@matrix.example.pe",
        )
        for i in range(2)
    ]
    vals_list.append(
        dict(
            common,
            name="Exportadora Sula S.A.",
            ref=f"{REF}rtn-0",
            is_company=True,
            country_id=hn.id,
            state_id=env.ref("base.state_hn_cr").id,
            city="San Pedro Sula",
            phone="+504 2550 0000",
            l10n_latam_identification_type_id=id_type("hn_rtn").id,
            vat="05019012345678",
            email="ventas@sula.matrix.example.hn",
        )
    )
    customers = Partner.create(vals_list)
    by_ref = {p.ref: p for p in customers}
    by_ref[f"{REF}ruc-2"]._suspend("Suspendido por la matriz de instalación")
    # A customer with a posted invoice and a customs file.
    invoiced = by_ref[f"{REF}ruc-1"]
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": invoiced.id,
            "invoice_line_ids": [(0, 0, {"name": "Despacho aduanero", "quantity": 1, "price_unit": 100.0})],
        }
    )
    move.action_post()
    env["customs.file"].create({"partner_id": by_ref[f"{REF}ruc-0"].id, "operation_type": "import"})
    # A SUNAT status as the system records it (the lookup, the padrón check).
    by_ref[f"{REF}ruc-1"].sudo().write({"sunat_taxpayer_state": "BAJA DE OFICIO", "sunat_taxpayer_condition": "HABIDO"})
    # A padrón row and an import job, as an earlier load and import left them.
    env.cr.execute("SELECT slot FROM clientes_aduanas_sunat_padron_current")
    table = f"clientes_aduanas_sunat_padron_{env.cr.fetchone()[0]}"
    env.cr.execute(
        f"INSERT INTO {table} (ruc, name, taxpayer_state, taxpayer_condition) "
        "VALUES (%s, 'EMPRESA 0 SAC', 'ACTIVO', 'HABIDO')",
        [ruc("2050000000")],
    )
    env["customer.import.job"].create({"name": "clientes.xlsx"})
    env.cr.commit()
    print("MATRIX-SEEDED", len(customers))


def snapshot_data():
    env = globals()["env"]
    Partner = env["res.partner"].with_context(active_test=False)
    customers = Partner.search([("ref", "=like", f"{REF}%")], order="ref")
    env.cr.execute("SELECT slot FROM clientes_aduanas_sunat_padron_current")
    env.cr.execute(f"SELECT count(*) FROM clientes_aduanas_sunat_padron_{env.cr.fetchone()[0]}")
    padron = env.cr.fetchone()[0]
    companies = env["res.company"].with_context(active_test=False).search([])
    return {
        "customers": {
            p.ref: {
                "id": p.id,
                "vat": p.vat,
                "type_id": p.l10n_latam_identification_type_id.id,
                "code": p.l10n_latam_identification_type_id.customs_document_code,
                "registered": p.is_registered_customer,
                "state": p.customer_state,
                "sunat": [p.sunat_taxpayer_state, p.sunat_taxpayer_condition, p.sunat_observed],
            }
            for p in customers
        },
        "counts": {
            # A new company brings its own partner: not a customer.
            "partners": Partner.search_count([("id", "not in", companies.partner_id.ids)]),
            "registered": Partner.search_count([("is_registered_customer", "=", True)]),
            "customs_files": env["customs.file"].search_count([]),
            "import_jobs": env["customer.import.job"].search_count([]),
            "posted_invoices": env["account.move"].search_count(
                [("state", "=", "posted"), ("move_type", "=", "out_invoice")]
            ),
            "padron_rows": padron,
        },
    }


def check_types():
    """One type per rule; l10n_pe's RUC/DNI carry theirs when it is installed."""
    env = globals()["env"]
    IdType = env["l10n_latam.identification.type"].with_context(active_test=False)
    for code in ("pe_ruc", "pe_dni", "hn_rtn", "hn_identity", "passport", "foreign_id"):
        found = IdType.search([("customs_document_code", "=", code)])
        if len(found) != 1 or not found.active:
            fail(f"rule {code}: {len(found)} type(s) {found.mapped('name')} active={found.mapped('active')}")
    for name in ("RUC", "DNI"):
        active = IdType.search([("name", "=", name), ("country_id", "=", env.ref("base.pe").id)])
        if len(active.filtered("active")) != 1:
            fail(f"{len(active.filtered('active'))} active types named {name}")
    pe_installed = env["ir.module.module"].search([("name", "=", "l10n_pe")]).state == "installed"
    if EXPECT_PE and not pe_installed:
        fail("l10n_pe is not installed")
    if pe_installed:
        for code, xmlid in (("pe_ruc", "l10n_pe.it_RUC"), ("pe_dni", "l10n_pe.it_DNI")):
            if id_type(code) != env.ref(xmlid):
                fail(f"{code} is not on {xmlid}")
    return pe_installed


def check(kept_only=False):
    with open(SNAPSHOT) as f:
        before = json.load(f)
    now = snapshot_data()
    check_types()
    for ref, old in before["customers"].items():
        new = now["customers"].get(ref)
        if not new:
            fail(f"customer {ref} disappeared")
        keys = ("id", "vat") if kept_only else ("id", "vat", "code", "registered", "state", "sunat")
        for key in keys:
            if old[key] != new[key]:
                fail(f"customer {ref}: {key} {old[key]!r} -> {new[key]!r}")
        if kept_only and new["type_id"] != old["type_id"]:
            fail(f"customer {ref}: document type {old['type_id']} -> {new['type_id']}")
    if not kept_only and now["counts"] != before["counts"]:
        fail(f"counts {before['counts']} -> {now['counts']}")
    if kept_only and now["counts"]["partners"] != before["counts"]["partners"]:
        fail(f"partners {before['counts']['partners']} -> {now['counts']['partners']}")
    print("MATRIX-CHECK-OK", json.dumps(now["counts"]))


def company_pe():
    env = globals()["env"]
    # As a user does in Settings: Odoo installs l10n_pe for the new company.
    company = env["res.company"].create({"name": "Agencia Callao SAC", "country_id": env.ref("base.pe").id})
    env.cr.commit()
    print("MATRIX-COMPANY", company.id)


def uninstall():
    env = globals()["env"]
    env["ir.module.module"].search([("name", "=", "clientes_aduanas")]).button_immediate_uninstall()
    print("MATRIX-UNINSTALLED")


if STEP == "seed":
    seed()
    with open(SNAPSHOT, "w") as f:
        json.dump(snapshot_data(), f)
elif STEP == "check":
    check()
elif STEP == "check_kept":
    check(kept_only=True)
elif STEP == "company_pe":
    company_pe()
elif STEP == "uninstall":
    uninstall()
else:
    fail(f"unknown step {STEP}")
