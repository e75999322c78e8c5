"""Data shared by the customer portal tests (unit and HTTP): two registered
customers, each with a contact, portal users and customs files."""

from datetime import timedelta

from stdnum.pe import ruc

from odoo import Command, fields


def make_customer(env, suffix, **overrides):
    """A valid registered Peruvian company; ``suffix`` makes it unique."""
    body = f"20{suffix:08d}"
    id_type = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc")
    address = dict(street="Av. Portal 100", city="Lima", state_id=env.ref("base.state_pe_15").id)
    return env["res.partner"].create(
        dict(
            address,
            name=f"Portal Cliente {suffix} S.A.C.",
            is_company=True,
            is_registered_customer=True,
            l10n_latam_identification_type_id=id_type.id,
            vat=body + ruc.calc_check_digit(body),
            country_id=env.ref("base.pe").id,
            email=f"cliente{suffix}@portal.example.pe",
            phone="+51 1 4445555",
            **overrides,
        )
    )


def make_portal_user(env, partner, login):
    # Straight create (not new_test_user): the user's name and e-mail are its
    # partner's, and a registered customer's master data must not change.
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": login,
                "partner_id": partner.id,
                "password": login,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
    )


def make_files(env, partner, count, **vals):
    return env["customs.file"].create(
        [
            {
                "partner_id": partner.id,
                "operation_type": "export" if i % 3 == 0 else "import",
                "declaration_number": f"DUA-{partner.id}-{i:05d}",
                "customs_office": "Callao",
                "declared_value": 1000 + i,
                "opening_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                **vals,
            }
            for i in range(count)
        ]
    )


def setup_portal_data(cls):
    env = cls.env
    cls.customer_a = make_customer(env, 10001)
    cls.contact_a = env["res.partner"].create(
        {"name": "Ana Portal", "parent_id": cls.customer_a.id, "email": "ana@portal.example.pe"}
    )
    cls.customer_b = make_customer(env, 10002)
    cls.contact_b = env["res.partner"].create(
        {"name": "Beto Portal", "parent_id": cls.customer_b.id, "email": "beto@portal.example.pe"}
    )
    cls.portal_a = make_portal_user(env, cls.contact_a, "portal_a")
    cls.portal_b = make_portal_user(env, cls.contact_b, "portal_b")
    # Two files for the customer, one addressed to its contact.
    cls.file_a1, cls.file_a2 = make_files(env, cls.customer_a, 2)
    cls.file_a_contact = make_files(env, cls.contact_a, 1, goods_description="Repuestos de motor")
    cls.file_b = make_files(env, cls.customer_b, 1)


def setup_portal_documents(cls):
    """A power of attorney of customer A expiring in 10 days, one of B expired
    5 days ago."""
    today = fields.Date.today()
    Document = cls.env["res.partner.customer.document"]
    mandate = cls.env.ref("clientes_aduanas.customer_document_type_mandate")
    cls.document_a = Document.create(
        {
            "partner_id": cls.customer_a.id,
            "document_type_id": mandate.id,
            "number": "PODER-A-001",
            "expiry_date": today + timedelta(days=10),
        }
    )
    cls.document_b = Document.create(
        {
            "partner_id": cls.customer_b.id,
            "document_type_id": mandate.id,
            "number": "PODER-B-777",
            "expiry_date": today - timedelta(days=5),
        }
    )
