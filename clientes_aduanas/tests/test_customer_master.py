from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..tools import document_number as dn
from .common import ClientesAduanasCase


def _ruc(body):
    """A valid RUC for the 10 first digits ``body``."""
    return body + dn.pe_ruc.calc_check_digit(body)


@tagged("post_install", "-at_install")
class TestCustomerRules(ClientesAduanasCase):
    def test_valid_peruvian_and_honduran_customers(self):
        pe = self._create_customer(vat="20-512345-671")
        self.assertEqual(pe.vat, "20512345671", "the number is normalised before saving")
        self.assertEqual(pe.company_type, "company", "RUC prefix 20 is a legal entity")
        hn = self.env["res.partner"].create(self._hn_vals())
        self.assertTrue(hn.is_registered_customer)
        self.assertEqual(hn.customer_state, "active")

    def test_ruc_prefix_10_is_a_natural_person_and_exposes_dni(self):
        partner = self._create_customer(vat=_ruc("1045678912"), name="María Quispe")
        self.assertEqual(partner.company_type, "person")
        self.assertEqual(partner.ruc_dni, "45678912")

    def test_invalid_documents_are_refused(self):
        cases = [
            (self.type_ruc, "20512345670", "check digit"),
            (self.type_ruc, "2051234567", "11 digits"),
            (self.type_ruc, "2051234567A", "only digits"),
            (self.type_ruc, "", "required"),
            (self.type_dni, "1234567", "8 digits"),
            (self.type_rtn, "0501901234567", "14 digits"),
            (self.type_hn_identity, "2001199012345", "department code"),
        ]
        for id_type, vat, fragment in cases:
            with self.subTest(type=id_type.name, vat=vat):
                with self.assertRaises(ValidationError) as ctx:
                    self._create_customer(l10n_latam_identification_type_id=id_type.id, vat=vat)
                self.assertIn(fragment, str(ctx.exception))

    def test_required_fields_per_country(self):
        for field_name in ("name", "street", "email", "phone", "l10n_latam_identification_type_id"):
            with self.subTest(field=field_name), self.assertRaises(ValidationError):
                self._create_customer(**{field_name: False})
        # Peru does not require city or department; Honduras does.
        self._create_customer(city=False, state_id=False)
        for field_name in ("city", "state_id"):
            with self.subTest(field=field_name), self.assertRaises(ValidationError) as ctx:
                self.env["res.partner"].create(self._hn_vals(**{field_name: False}))
            self.assertIn("Honduras", str(ctx.exception))

    def test_validate_vals_lists_every_error(self):
        _vals, errors = self.env["res.partner"]._customer_validate_vals(
            {
                "l10n_latam_identification_type_id": self.type_ruc.id,
                "vat": "123",
                "email": "not-an-email",
                "notification_emails": "ok@example.com, wrong@",
                "notification_whatsapp": "+51987654321, 12",
            }
        )
        fields_in_error = [field for field, _message in errors]
        for field_name in ("name", "street", "phone", "vat", "email", "notification_emails", "notification_whatsapp"):
            self.assertIn(field_name, fields_in_error)
        messages = " ".join(message for _field, message in errors)
        self.assertIn("wrong@", messages, "the bad list item is named")
        self.assertIn("12", messages)

    def test_notification_lists_are_normalised(self):
        partner = self._create_customer(
            notification_emails=" Ops@Example.COM ;boss@example.com",
            notification_whatsapp="987 654 321, +51 912-345-678",
        )
        self.assertEqual(partner.notification_emails, "ops@example.com, boss@example.com")
        self.assertEqual(partner.notification_whatsapp, "+51987654321, +51912345678")
        with self.assertRaises(ValidationError) as ctx:
            partner.notification_whatsapp = "+51987654321, abc"
        self.assertIn("abc", str(ctx.exception))

    def test_ordinary_partners_are_not_governed(self):
        # No document, no e-mail, duplicates: Odoo's own flows keep working.
        Partner = self.env["res.partner"]
        a = Partner.create({"name": "Walk-in", "email": "same@example.com"})
        b = Partner.create({"name": "Walk-in 2", "email": "same@example.com"})
        self.assertFalse(a.is_registered_customer or b.is_registered_customer)
        self._create_customer(email="other@example.com")

    def test_operations_contact_unique(self):
        customer = self._create_customer()
        self.env["res.partner"].create(
            {"name": "Ops 1", "parent_id": customer.id, "is_operations_contact": True, "type": "contact"}
        )
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create(
                {"name": "Ops 2", "parent_id": customer.id, "is_operations_contact": True, "type": "contact"}
            )


@tagged("post_install", "-at_install")
class TestCustomerDuplicates(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = cls._create_customer(name="Existing Customer", email="dup@example.pe")

    def test_duplicate_email_ignores_case_and_spaces(self):
        with self.assertRaises(ValidationError) as ctx:
            self._create_customer(vat=_ruc("2060000001"), email="  DUP@Example.pe ")
        self.assertIn("Existing Customer", str(ctx.exception))

    def test_duplicate_document(self):
        with self.assertRaises(ValidationError) as ctx:
            self._create_customer(email="new@example.pe", vat="20512345671")
        self.assertIn("Existing Customer", str(ctx.exception))

    def test_duplicate_of_suspended_customer(self):
        self.existing._suspend("Deuda")
        with self.assertRaises(ValidationError):
            self._create_customer(vat=_ruc("2060000001"), email="dup@example.pe")

    def test_duplicates_inside_one_batch(self):
        vals = [
            self._pe_vals(vat=_ruc("2060000002"), email="batch@example.pe"),
            self._pe_vals(vat=_ruc("2060000003"), email="Batch@example.pe"),
        ]
        with self.assertRaises(ValidationError) as ctx:
            self.env["res.partner"].create(vals)
        self.assertIn("e-mail", str(ctx.exception))
        self.assertFalse(self.env["res.partner"].search([("email", "=ilike", "batch@example.pe")]))

    def test_duplicate_through_form(self):
        form = Form(self.env["res.partner"].with_context(default_is_registered_customer=True))
        form.name = "Copy"
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = _ruc("2060000004")
        form.street = "Av. Uno"
        form.email = "dup@example.pe"
        form.phone = "+51 1 222"
        with self.assertRaises(ValidationError):
            form.save()

    def test_duplicate_by_write(self):
        other = self._create_customer(vat=_ruc("2060000005"), email="other@example.pe")
        with self.assertRaises(ValidationError):
            other.email = "dup@example.pe"

    def test_find_duplicates_in_one_query(self):
        Partner = self.env["res.partner"]
        vals_list = [
            {"email": "DUP@example.pe"},
            {"l10n_latam_identification_type_id": self.type_ruc.id, "vat": "20512345671"},
            {"email": "nobody@example.pe"},
        ]
        self.env["l10n_latam.identification.type"]._customs_document_codes()  # cached rule map
        with self.assertQueryCount(1):
            result = Partner._find_duplicate_customers(vals_list)
        self.assertEqual(result[0][1], self.existing)
        self.assertEqual(result[1], ("vat", self.existing))
        self.assertFalse(result[2])

    def test_concurrent_transactions_cannot_both_register(self):
        """Two users save the same e-mail at the same time: neither sees the
        other's row, the unique index makes the second wait and then refuses it
        with a friendly message (no raw SQL error)."""
        vals_1 = self._pe_vals(vat=_ruc("2070000001"), email="race@example.pe", name="Race 1")
        vals_2 = self._pe_vals(vat=_ruc("2070000002"), email="race@example.pe", name="Race 2")
        outcome = self._race_two_registrations(vals_1, vals_2, [("email", "=", "race@example.pe")])
        self.assertFalse(outcome.get("created"), "both transactions registered the same e-mail")
        # The friendly message names the customer the other user just saved.
        self.assertEqual(outcome.get("error"), "A customer with this e-mail already exists: Race 1")


@tagged("post_install", "-at_install")
class TestCustomerLifecycle(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Lifecycle S.A.C.")
        cls.contact = cls.env["res.partner"].create({"name": "Contact", "parent_id": cls.customer.id})
        cls.product = cls.env["product.product"].create({"name": "Customs brokerage", "list_price": 100})

    def test_suspend_hides_and_blocks_new_documents(self):
        wizard = Form(self.env["customer.suspend.wizard"].with_context(default_partner_ids=self.customer.ids))
        wizard.reason = "Facturas impagas"
        wizard.save().action_confirm()
        self.assertEqual(self.customer.customer_state, "suspended")
        self.assertFalse(self.customer.active)
        self.assertEqual(self.customer.suspension_reason, "Facturas impagas")
        self.assertEqual(self.customer.suspended_by_id, self.env.user)
        self.assertNotIn(self.customer, self.env["res.partner"].search([("name", "ilike", "Lifecycle")]))
        self.assertNotIn(self.customer.id, [i for i, _n in self.env["res.partner"].name_search("Lifecycle")])
        messages = self.customer.with_context(active_test=False).message_ids.mapped("body")
        self.assertTrue(any("Facturas impagas" in body for body in messages))
        # Even when the id is passed straight (RPC, import) — also through a contact.
        for partner in (self.customer, self.contact):
            with self.subTest(partner=partner.name):
                with self.assertRaises(UserError) as ctx:
                    self.env["sale.order"].create({"partner_id": partner.id})
                self.assertIn("suspended", str(ctx.exception))
                with self.assertRaises(UserError):
                    self.env["account.move"].create({"move_type": "out_invoice", "partner_id": partner.id})

    def test_reactivate(self):
        self.customer._suspend("Temporal")
        self.customer.action_reactivate()
        self.assertTrue(self.customer.active)
        self.assertEqual(self.customer.customer_state, "active")
        self.assertFalse(self.customer.suspension_reason)
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.partner_id, self.customer)

    def test_history_survives_suspension(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.customer._suspend("Cierre")
        order.note = "still editable"
        self.assertEqual(order.partner_id, self.customer)

    def test_delete_without_history(self):
        customer = self._create_customer(vat=_ruc("2080000001"), email="delete@example.pe")
        customer.unlink()
        self.assertFalse(customer.exists())

    def test_delete_refused_with_each_kind_of_history(self):
        makers = {
            "quotations": lambda p: self.env["sale.order"].create({"partner_id": p.id}),
            "invoices": lambda p: self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": p.id,
                    "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 10})],
                }
            ),
            "payments": lambda p: self.env["account.payment"].create(
                {"partner_id": p.id, "amount": 50, "payment_type": "inbound", "partner_type": "customer"}
            ),
        }
        for index, (label, make) in enumerate(makers.items()):
            with self.subTest(history=label):
                customer = self._create_customer(vat=_ruc(f"208000010{index}"), email=f"h{index}@example.pe")
                contact = self.env["res.partner"].create({"name": "Child", "parent_id": customer.id})
                make(contact)  # documents of a contact belong to the customer
                with self.assertRaises(UserError) as ctx:
                    customer.unlink()
                self.assertIn(label, str(ctx.exception))
                self.assertIn("Suspend", str(ctx.exception))
                self.assertTrue(customer.exists())


@tagged("post_install", "-at_install")
class TestCustomerPermissions(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Permisos S.A.C.")

    def test_view_only(self):
        Partner = self.env["res.partner"].with_user(self.user_view)
        self.assertEqual(Partner.browse(self.customer.id).name, "Permisos S.A.C.")
        self.assertIn(self.customer, Partner.search([("is_registered_customer", "=", True)]))
        with self.assertRaises(AccessError):
            Partner.create(self._pe_vals(vat=_ruc("2090000001"), email="v@example.pe"))
        with self.assertRaises(AccessError):
            Partner.browse(self.customer.id).write({"phone": "+51 1 999"})
        with self.assertRaises(AccessError):
            Partner.browse(self.customer.id).unlink()

    def test_create_permission(self):
        Partner = self.env["res.partner"].with_user(self.user_create)
        created = Partner.create(self._pe_vals(vat=_ruc("2090000002"), email="c@example.pe"))
        self.assertTrue(created.is_registered_customer)
        with self.assertRaises(AccessError):
            created.write({"phone": "+51 1 999"})
        # Registering an existing partner is creating a customer.
        ordinary = self.env["res.partner"].create(
            self._pe_vals(vat=_ruc("2090000003"), email="o@example.pe", is_registered_customer=False)
        )
        ordinary.with_user(self.user_create).action_register_customer()
        self.assertTrue(ordinary.is_registered_customer)
        with self.assertRaises(AccessError):
            ordinary.with_user(self.user_edit).copy().write({"is_registered_customer": True})

    def test_edit_permission(self):
        customer = self.customer.with_user(self.user_edit)
        customer.write({"phone": "+51 1 999"})
        self.assertEqual(customer.phone, "+51 1 999")
        customer._suspend("Prueba")
        self.assertEqual(self.customer.customer_state, "suspended")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_edit).create(
                self._pe_vals(vat=_ruc("2090000004"), email="e@example.pe")
            )
        with self.assertRaises(AccessError):
            customer.unlink()

    def test_delete_permission(self):
        customer = self._create_customer(vat=_ruc("2090000005"), email="d@example.pe")
        with self.assertRaises(AccessError):
            customer.with_user(self.user_edit).unlink()
        customer.with_user(self.user_delete).unlink()
        self.assertFalse(customer.exists())

    def test_odoo_bookkeeping_writes_need_no_permission(self):
        # Odoo's automatic writes (ranks, commercial fields) go through for a
        # contact manager without our "edit" permission; master data does not.
        user = new_test_user(self.env, login="ca_contacts", groups="base.group_user,base.group_partner_manager")
        self.customer.with_user(user).write({"customer_rank": 5})
        self.assertEqual(self.customer.customer_rank, 5)
        with self.assertRaises(AccessError):
            self.customer.with_user(user).write({"email": "new@example.pe"})


@tagged("post_install", "-at_install")
class TestCustomerForm(ClientesAduanasCase):
    def test_form_onchange_normalises_and_infers_person_type(self):
        form = Form(
            self.env["res.partner"].with_context(default_is_registered_customer=True),
            view="clientes_aduanas.res_partner_view_form_customer",
        )
        form.name = "Persona Natural"
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = "10-45678912-4"
        self.assertEqual(form.vat, "10456789124")
        self.assertEqual(form.company_type, "person")
        form.street = "Calle 1"
        form.email = "pn@example.pe"
        form.phone = "+51 999 888 777"
        partner = form.save()
        self.assertEqual(partner.ruc_dni, "45678912")

    def test_form_ruc_of_registered_dni_warns(self):
        self._create_customer(
            name="Juan Pérez",
            l10n_latam_identification_type_id=self.type_dni.id,
            vat="45678912",
            email="jp@example.pe",
        )
        partner = self.env["res.partner"].new(
            {
                "is_registered_customer": True,
                "l10n_latam_identification_type_id": self.type_ruc.id,
                "vat": "10456789124",
            }
        )
        result = partner._onchange_customer_document()
        self.assertIn("Juan Pérez", result["warning"]["message"])

    def test_form_honduras_requires_department(self):
        form = Form(
            self.env["res.partner"].with_context(default_is_registered_customer=True),
            view="clientes_aduanas.res_partner_view_form_customer",
        )
        form.name = "Sula"
        form.l10n_latam_identification_type_id = self.type_rtn
        form.vat = "05019012345678"
        form.street = "Barrio"
        form.email = "s@example.hn"
        form.phone = "+504 2550 1111"
        form.country_id = self.hn
        with self.assertRaises(AssertionError):
            form.save()  # city and department are required in the view for Honduras
        form.city = "San Pedro Sula"
        form.state_id = self.state_cortes
        self.assertEqual(form.save().state_id.code, "CR")

    def test_honduran_departments(self):
        states = self.env["res.country.state"].search([("country_id", "=", self.hn.id)])
        self.assertEqual(
            sorted(states.mapped("code")),
            sorted("AT CH CL CM CP CR EP FM GD IN IB LP LE OC OL SB VA YO".split()),
        )
        self.assertEqual(self.env.ref("base.state_hn_fm").name, "Francisco Morazán")
        # Adopting again creates nothing new.
        self.env["res.country.state"]._ensure_country_states(self.hn.id, [("AT", "Atlántida")])
        self.assertEqual(self.env["res.country.state"].search_count([("country_id", "=", self.hn.id)]), 18)


@tagged("post_install", "-at_install")
class TestBillingEmail(ClientesAduanasCase):
    def test_invoice_mail_goes_to_billing_email(self):
        customer = self._create_customer(billing_email="facturas@lima.example.pe")
        product = self.env["product.product"].create({"name": "Servicio", "list_price": 100})
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 100})],
            }
        )
        move.action_post()
        template = self.env.ref("account.email_template_edi_invoice")
        partners = self.env["account.move.send"]._get_default_mail_partner_ids(move, template, "en_US")
        self.assertEqual(partners.mapped("email"), ["facturas@lima.example.pe"])
        self.assertEqual(partners.parent_id, customer)
        # Without a billing e-mail, Odoo's default recipient stays.
        customer.billing_email = False
        partners = self.env["account.move.send"]._get_default_mail_partner_ids(move, template, "en_US")
        self.assertEqual(partners, customer)


@tagged("post_install", "-at_install")
class TestCreateOnlyUserForm(ClientesAduanasCase):
    def test_create_only_user_saves_company_from_the_form(self):
        """The form writes the person type again right after create; a user
        with only the Create permission must still be able to save."""
        form = Form(
            self.env["res.partner"].with_user(self.user_create).with_context(default_is_registered_customer=True),
            view="clientes_aduanas.res_partner_view_form_customer",
        )
        form.company_type = "company"
        form.name = "Solo Crear S.A.C."
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = "20603456786"
        form.street = "Av. Crear 1"
        form.email = "crear@example.pe"
        form.phone = "+51 1 2223333"
        partner = form.save()
        self.assertTrue(partner.is_company)
        partner.with_user(self.user_create).write({"is_company": True, "name": "Solo Crear S.A.C."})
        with self.assertRaises(AccessError):
            partner.with_user(self.user_create).write({"name": "Otro nombre"})
