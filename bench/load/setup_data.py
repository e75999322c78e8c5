"""Prepares the load benchmark's database and writes the fixture the Locust
users read (logins, ids, this run's collision pools).

    python bench/load/setup_data.py CONF DB FIXTURE_JSON FAKE_PROVIDER_PORT

Made once and kept: 10 customers with 200 customs files each (declaration
numbers tagged with the customer, so a page shows whose files it lists), 5
portal users per customer, 10 staff users (create + edit customers), 5 lupa
users; the UI in Spanish. Each run adds what must be new: the lupa pool (RUCs
the lookup cache has never seen) and a run number for the colliding e-mails
and documents the staff users create.
"""

import json
import sys

import odoo
from odoo import SUPERUSER_ID, Command, api

CUSTOMERS, FILES, PORTAL_PER_CUSTOMER, STAFF, LUPA, LUPA_POOL = 10, 200, 5, 10, 5, 150
PASSWORD = "carga-2026"


def ruc(body):
    """A valid RUC from its first ten digits (SUNAT's modulus 11)."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    digit = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return body + str({10: 0, 11: 1}.get(digit, digit))


def customer_vals(env, name, vat, email):
    return {
        "name": name,
        "is_registered_customer": True,
        "l10n_latam_identification_type_id": env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").id,
        "vat": vat,
        "street": "Av. Argentina 2085",
        "city": "Callao",
        "state_id": env.ref("base.state_pe_07").id,
        "country_id": env.ref("base.pe").id,
        "email": email,
        "phone": "+51 1 4567890",
    }


def user(env, login, partner=None, groups=()):
    Users = env["res.users"].with_context(no_reset_password=True)
    found = Users.search([("login", "=", login)])
    if found:
        return found
    vals = {
        "login": login,
        "password": PASSWORD,
        "name": login.replace("_", " ").title(),
        "lang": "es_PE",
        "groups_id": [Command.set([env.ref(g).id for g in groups])],
    }
    if partner:
        vals["partner_id"] = partner.id
    return Users.create(vals)


def spanish(env):
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "es_PE")])
    if not lang.active:
        env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)], "overwrite": True}).lang_install()


def make_customers(env):
    customers = []
    for c in range(CUSTOMERS):
        vat = ruc(f"20{94_000_000 + c:08d}")
        partner = env["res.partner"].search([("vat", "=", vat), ("is_registered_customer", "=", True)])
        if not partner:
            partner = env["res.partner"].create(
                customer_vals(env, f"Cliente Carga {c:02d} S.A.C.", vat, f"cliente{c:02d}@carga.example.pe")
            )
        files = env["customs.file"].search([("commercial_partner_id", "=", partner.id)])
        if not files:
            files = env["customs.file"].create(
                [
                    {
                        "partner_id": partner.id,
                        "operation_type": "import" if i % 2 else "export",
                        "declaration_number": f"118-2026-C{c:02d}-{i:06d}",
                        "customs_office": "Callao",
                        "goods_description": f"Mercancía del cliente {c:02d}",
                        "declared_value": 1000 + i,
                        "opening_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    }
                    for i in range(FILES)
                ]
            )
            env.flush_all()
            env.cr.execute(
                "UPDATE customs_file SET state = (ARRAY['draft', 'in_progress', 'released', 'closed'])[1 + id %% 4]"
                " WHERE commercial_partner_id = %s",
                [partner.id],
            )
        portal = []
        for k in range(PORTAL_PER_CUSTOMER):
            login = f"carga_portal_{c:02d}_{k}"
            contact = env["res.partner"].search([("parent_id", "=", partner.id), ("name", "=", login)])
            if not contact:
                contact = env["res.partner"].create({"name": login, "parent_id": partner.id, "type": "contact"})
            portal.append(user(env, login, contact, ["base.group_portal"]).login)
        customers.append({"index": c, "id": partner.id, "file_ids": files.ids, "portal_logins": portal})
    return customers


def lookup_provider(env, port):
    Provider = env["document.lookup.provider"].with_context(active_test=False)
    others = Provider.search([("name", "!=", "Proveedor local de carga")])
    others.write({"active": False})
    vals = {
        "name": "Proveedor local de carga",
        "active": True,
        "sequence": 1,
        "base_url": f"http://127.0.0.1:{port}",
        "ruc_path": "/v2/sunat/ruc?numero={number}",
        "auth_style": "none",
        "rate_limit": 60,
        "max_retries": 0,
        "ruc_mapping": json.dumps(
            {
                "vat": "numeroDocumento",
                "name": "razonSocial",
                "street": "direccion",
                "taxpayer_state": "estado",
                "taxpayer_condition": "condicion",
            }
        ),
        "document_type_ids": [Command.set(env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").ids)],
    }
    provider = Provider.search([("name", "=", vals["name"])])
    if provider:
        provider.write(vals)
    else:
        provider = Provider.create(vals)
    return provider


def main():
    conf, db, fixture_path, port = sys.argv[1:5]
    odoo.tools.config.parse_config(["-c", conf])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
        )
        spanish(env)
        customers = make_customers(env)
        group = "clientes_aduanas.clientes_aduanas_group_%s"
        staff = [
            user(env, f"carga_staff_{k}", groups=["base.group_user", group % "create", group % "edit"]).login
            for k in range(STAFF)
        ]
        lupa = [
            user(env, f"carga_lupa_{k}", groups=["base.group_user", group % "create", group % "edit"]).login
            for k in range(LUPA)
        ]
        provider = lookup_provider(env, port)
        params = env["ir.config_parameter"]
        run = int(params.get_param("clientes_aduanas.load_bench_run", 0)) + 1
        params.set_param("clientes_aduanas.load_bench_run", run)
        # The lupa pool: registered customers whose RUC no lookup has seen.
        pool = env["res.partner"].create(
            [
                customer_vals(
                    env,
                    f"Lupa {run} {i}",
                    ruc(f"201{run % 10_000:04d}{i:03d}"),
                    f"lupa{i}.r{run}@carga.example.pe",
                )
                for i in range(LUPA * LUPA_POOL)
            ]
        )
        cr.execute("ANALYZE customs_file; ANALYZE res_partner")
        fixture = {
            "db": db,
            "password": PASSWORD,
            "run": run,
            "customers": customers,
            "staff_logins": staff,
            "lupa_logins": lupa,
            "lupa_partner_ids": pool.ids,
            "provider_id": provider.id,
            "ruc_type_id": env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").id,
            "country_id": env.ref("base.pe").id,
            "state_id": env.ref("base.state_pe_07").id,
            "url_code": env["res.lang"]._lang_get("es_PE").url_code,
        }
        cr.commit()
    with open(fixture_path, "w") as f:
        json.dump(fixture, f)
    print(f"fixture {fixture_path}: run {run}, {len(customers)} customers, {len(pool)} lupa customers")


if __name__ == "__main__":
    main()
