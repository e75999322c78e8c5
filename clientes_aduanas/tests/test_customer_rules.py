"""The customer rules: documents per type, required data per country,
e-mails and notification lists, governed document types, consistency of
what is stored."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models.res_partner import PREVALIDATED
from ..tools import document_number as dn
from .common import ClientesAduanasCase, _ruc


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
class TestCustomerDocuments(ClientesAduanasCase):
    """Every document rule through the shared contract, with the message
    naming the rule (the pure functions are tested in test_document_number)."""

    def _vat_errors(self, id_type, vat):
        _vals, errors = self.env["res.partner"]._customer_validate_vals(
            self._pe_vals(l10n_latam_identification_type_id=id_type.id, vat=vat)
        )
        return [message for field, message in errors if field == "vat"]

    def test_each_document_type(self):
        dni_check = dn.pe_cui.calc_check_digits("45678912")
        cases = [
            # (type, number, expected normalised number or message fragment)
            (self.type_ruc, "20.512.345-671", "20512345671"),
            (self.type_ruc, _ruc("1600000001"), _ruc("1600000001")),  # SUNAT prefix stdnum forgets
            (self.type_ruc, "20512345670", "wrong check digit"),
            (self.type_ruc, "2051234567", "must have 11 digits (it has 10)"),
            (self.type_ruc, "2051234567A", "only digits"),
            (self.type_ruc, "", "is required"),
            (self.type_ruc, _ruc("3051234567"), "must start with 10, 15, 16, 17, 20"),
            (self.type_dni, "4567 8912", "45678912"),
            (self.type_dni, "45678912" + dni_check[0], "45678912"),  # check character on the card
            (self.type_dni, "45678912" + ("0" if dni_check[0] != "0" else "1"), "wrong check digit"),
            (self.type_dni, "4567891", "must have 8 digits"),
            (self.type_dni, "4567891X", "only digits"),
            (self.type_dni, "  ", "is required"),
            (self.type_rtn, "0501-9012-345678", "05019012345678"),
            (self.type_rtn, "0501901234567", "must have 14 digits"),
            (self.type_rtn, "0501901234567A", "only digits"),
            (self.type_rtn, "", "is required"),
            (self.type_hn_identity, "0801-1990-12345", "0801199012345"),
            (self.type_hn_identity, "2001199012345", "department code 01 to 18; 20 is not one"),
            (self.type_hn_identity, "0801189912345", "1899 is not plausible"),
            (self.type_hn_identity, "080119901234", "must have 13 digits"),
            (self.type_hn_identity, "08011990l2345", "only digits"),
            (self.type_hn_identity, "", "is required"),
        ]
        for id_type, vat, expected in cases:
            with self.subTest(type=id_type.name, vat=vat):
                normalized, errors = self.env["res.partner"]._customer_validate_vals(
                    self._pe_vals(l10n_latam_identification_type_id=id_type.id, vat=vat)
                )
                vat_errors = [message for field, message in errors if field == "vat"]
                if expected.isdigit():
                    self.assertFalse(vat_errors)
                    self.assertEqual(normalized["vat"], expected)
                else:
                    self.assertEqual(len(vat_errors), 1)
                    self.assertIn(expected, vat_errors[0])

    def test_document_error_message_for_unknown_rule(self):
        message = self.env["res.partner"]._document_error_message(dn.DocumentNumberError("whatever"), "RUC")
        self.assertEqual(message, "The RUC number is not valid.")

    def test_prefix_16_ruc_is_not_rejected_by_base_vat(self):
        """base_vat (a dependency of l10n_latam_base) checks a RUC with the
        customer's country validator; our own rules govern registered customers."""
        chile = self.env.ref("base.cl")
        vat = _ruc("1600000001")
        with self.assertRaises(ValidationError, msg="base_vat is active for ordinary partners"):
            self.env["res.partner"].create(
                {"name": "Ordinary", "country_id": chile.id, "l10n_latam_identification_type_id": self.type_ruc.id,
                 "vat": vat}
            )  # fmt: skip
        customer = self._create_customer(vat=vat, country_id=chile.id, city=False, state_id=False)
        self.assertEqual(customer.vat, vat)
        self.assertEqual(customer.company_type, "company", "prefix 16 is a legal entity")


@tagged("post_install", "-at_install")
class TestCustomerRequiredData(ClientesAduanasCase):
    def test_honduras_requires_person_type(self):
        vals = self._hn_vals()
        del vals["is_company"]
        _vals, errors = self.env["res.partner"]._customer_validate_vals(vals)
        self.assertEqual([field for field, _message in errors], ["company_type"])
        with self.assertRaises(ValidationError) as ctx:
            self.env["res.partner"].create(vals)
        self.assertIn("person type", str(ctx.exception))
        # "Natural" is an answer too; Peru does not require it (inferred from the RUC).
        self.assertEqual(self.env["res.partner"].create({**vals, "is_company": False}).company_type, "person")
        self.assertFalse(self.env["res.partner"]._customer_validate_vals(self._pe_vals())[1])

    def test_every_required_field_reported_at_once(self):
        _vals, errors = self.env["res.partner"]._customer_validate_vals({"country_id": self.hn.id})
        self.assertEqual(
            {field for field, _message in errors},
            {"name", "l10n_latam_identification_type_id", "street", "email", "phone", "city", "state_id",
             "company_type"},
        )  # fmt: skip

    def test_validate_vals_writes_nothing(self):
        count = self.env["res.partner"].search_count([])
        vals = self._pe_vals(email=" Ops@Lima.example.pe ", notification_whatsapp="987654321")
        self.env["res.partner"]._customer_validate_vals(vals)  # reads the type and country once
        with self.assertQueryCount(0):
            normalized, errors = self.env["res.partner"]._customer_validate_vals(vals)
        self.assertFalse(errors)
        self.assertEqual(normalized["notification_whatsapp"], "+51987654321")
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_whatsapp_numbers_read_in_the_customers_country(self):
        honduran = self.env["res.partner"].create(self._hn_vals(notification_whatsapp="9988 7766"))
        self.assertEqual(honduran.notification_whatsapp, "+50499887766")
        honduran.notification_whatsapp = "9911-2233, +51 987 654 321"
        self.assertEqual(honduran.notification_whatsapp, "+50499112233, +51987654321")
        other = self.env["res.partner"].create(
            self._hn_vals(name="Otra Hondureña", vat="05019012345679", email="otra@example.hn")
        )
        (honduran | other).write({"notification_whatsapp": "9876 5432"})
        self.assertEqual((honduran | other).mapped("notification_whatsapp"), ["+50498765432"] * 2)
        peruvian = self._create_customer(notification_whatsapp="987654321")
        self.assertEqual(peruvian.notification_whatsapp, "+51987654321")
        with self.assertRaises(ValidationError) as ctx:
            peruvian.notification_whatsapp = "9876 5432"  # 8 digits: no Peruvian mobile
        self.assertIn("9876 5432", str(ctx.exception))

    def test_email_with_display_name_is_refused_as_main_email(self):
        _vals, errors = self.env["res.partner"]._customer_validate_vals(
            self._pe_vals(email="Ana <ana@example.pe>", notification_emails="Ana <ana@example.pe>, ops.example.pe")
        )
        self.assertIn(("email", "Ana <ana@example.pe> is not a valid e-mail address."), errors)
        self.assertEqual(
            [message for field, message in errors if field == "notification_emails"],
            ["Notification e-mail ops.example.pe is not a valid address."],
        )

    def test_contact_cannot_be_registered(self):
        customer = self._create_customer()
        with self.assertRaises(ValidationError):
            self._create_customer(vat=_ruc("2061000001"), email="child@example.pe", parent_id=customer.id)


@tagged("post_install", "-at_install")
class TestCustomerConsistency(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Consistencia S.A.C.")

    def test_forged_context_flag_does_not_skip_validation(self):
        bad = self._pe_vals(vat=_ruc("2062000001"), email="not-an-email")
        with self.assertRaises(ValidationError):
            self.env["res.partner"].with_context(customer_vals_prevalidated=True).create(bad)
        # Server code that has just validated the values may skip the second
        # check, for that create only: later writes are checked again.
        good = self._pe_vals(vat=_ruc("2062000002"), email="ok@example.pe")
        partner = self.env["res.partner"].with_context(customer_vals_prevalidated=PREVALIDATED).create(good)
        with self.assertRaises(ValidationError):
            partner.write({"email": "still-not-an-email"})

    def test_find_duplicates_normalises_the_document(self):
        result = self.env["res.partner"]._find_duplicate_customers(
            [{"l10n_latam_identification_type_id": self.type_ruc.id, "vat": "20-512345-671"}, {}]
        )
        self.assertEqual(result, [("vat", self.customer), False])

    def test_archive_and_unarchive_suspend_and_reactivate(self):
        self.customer.action_archive()
        self.assertEqual(self.customer.customer_state, "suspended")
        self.assertEqual(self.customer.suspended_by_id, self.env.user)
        with self.assertRaises(UserError):
            self.env["sale.order"].create({"partner_id": self.customer.id})
        self.customer.action_unarchive()
        self.assertEqual(self.customer.customer_state, "active")
        self.assertFalse(self.customer.suspension_date)

    def test_unregistering_or_archiving_needs_edit_permission(self):
        user = new_test_user(self.env, login="ca_contacts_2", groups="base.group_user,base.group_partner_manager")
        partner = self.customer.with_user(user)
        with self.assertRaises(AccessError):
            partner.write({"is_registered_customer": False})
        with self.assertRaises(AccessError):
            partner.action_archive()
        self.assertTrue(self.customer.is_registered_customer and self.customer.active)
        self.customer.with_user(self.user_edit).action_archive()
        self.assertEqual(self.customer.customer_state, "suspended")

    def test_odoo_flows_of_a_user_without_customer_permissions(self):
        """A salesman with none of the four permissions quotes, confirms and
        writes in the chatter of a registered customer: Odoo's own writes on
        the partner (followers, messages) are not master data."""
        salesman = new_test_user(
            self.env, login="ca_salesman", groups="sales_team.group_sale_salesman,base.group_partner_manager"
        )
        order = self.env["sale.order"].with_user(salesman).create({"partner_id": self.customer.id})
        order.action_confirm()
        self.customer.with_user(salesman).message_post(body="Llamar el lunes")
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.customer.message_ids[0].body, "<p>Llamar el lunes</p>")
        with self.assertRaises(AccessError):
            self.customer.with_user(salesman).write({"phone": "+51 1 000"})

    def test_suspension_needs_a_reason_and_a_customer(self):
        with self.assertRaises(UserError):
            self.customer._suspend("   ")
        with self.assertRaises(UserError):
            self.env["res.partner"].create({"name": "Walk-in"})._suspend("Deuda")
        self.assertEqual(self.customer.customer_state, "active")

    def test_view_only_user_cannot_suspend(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_view).action_open_suspend_wizard()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_view).action_reactivate()

    def test_can_be_used_in_operation(self):
        contact = self.env["res.partner"].create({"name": "Ops", "parent_id": self.customer.id})
        ordinary = self.env["res.partner"].create({"name": "Walk-in"})
        (self.customer | contact | ordinary)._check_can_be_used_in_operation()
        self.customer._suspend("Deuda vencida")
        for partner in (self.customer, contact, contact | ordinary):
            with self.subTest(partner=partner.mapped("name")), self.assertRaises(UserError) as ctx:
                partner._check_can_be_used_in_operation()
            self.assertIn("Consistencia S.A.C. is suspended", str(ctx.exception))
        ordinary._check_can_be_used_in_operation()

    def test_reassigning_an_order_to_a_suspended_customer(self):
        other = self._create_customer(name="Otro", vat=_ruc("2062000003"), email="otro@example.pe")
        order = self.env["sale.order"].create({"partner_id": other.id})
        self.customer._suspend("Cierre")
        with self.assertRaises(UserError):
            order.partner_id = self.customer

    def test_operations_contact_unique_also_when_unarchiving(self):
        first = self.env["res.partner"].create(
            {"name": "Ops 1", "parent_id": self.customer.id, "is_operations_contact": True}
        )
        first.action_archive()
        self.env["res.partner"].create({"name": "Ops 2", "parent_id": self.customer.id, "is_operations_contact": True})
        with self.assertRaises(ValidationError) as ctx:
            first.action_unarchive()
        self.assertIn("main operations contact", str(ctx.exception))

    def test_create_queries_do_not_grow_per_row(self):
        """Validation, normalisation and the duplicate check add no query
        per row: 20 more customers cost no more queries than 20 more plain
        partners."""

        def query_counts(size, offset):
            plain = [
                dict(self._pe_vals(vat=_ruc(f"20{offset + i:08d}"), email=f"p{offset + i}@example.pe"),
                     is_registered_customer=False, is_company=True)
                for i in range(size)
            ]  # fmt: skip
            registered = [
                self._pe_vals(vat=_ruc(f"20{offset + 500 + i:08d}"), email=f"r{offset + i}@example.pe", is_company=True)
                for i in range(size)
            ]
            counts = []
            for vals_list in (plain, registered):
                self.env.flush_all()
                start = self.cr.sql_log_count
                self.env["res.partner"].create(vals_list)
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
            return counts

        plain_5, registered_5 = query_counts(5, 63000000)
        plain_25, registered_25 = query_counts(25, 64000000)
        # Odoo's own create runs a few queries per row; ours add none.
        self.assertLessEqual(registered_25 - registered_5, plain_25 - plain_5)


@tagged("post_install", "-at_install")
class TestGovernedDocumentTypes(ClientesAduanasCase):
    def test_generic_vat_type_refused_for_a_registered_customer(self):
        """Reproduction: a Honduran customer with Odoo's "VAT" type and the
        number abc saved."""
        vat_type = self.env.ref("l10n_latam_base.it_vat")
        with self.assertRaises(ValidationError) as ctx:
            self.env["res.partner"].create(self._hn_vals(l10n_latam_identification_type_id=vat_type.id, vat="abc"))
        self.assertIn("has no validation rule", str(ctx.exception))
        _vals, errors = self.env["res.partner"]._customer_validate_vals(
            self._hn_vals(l10n_latam_identification_type_id=vat_type.id)
        )
        self.assertIn("l10n_latam_identification_type_id", [field for field, _message in errors])

    def test_length_bounds_hold_on_the_form_and_rpc(self):
        """The import's bounds are the customer rules' own: a 300-character
        name is refused from the form and by RPC, and nothing is written."""
        with self.assertRaises(ValidationError) as ctx:
            self.env["res.partner"].create(self._pe_vals(name="N" * 300))
        self.assertIn("At most 250 characters", str(ctx.exception))
        customer = self._create_customer()
        with self.assertRaises(ValidationError):
            customer.write({"street": "Av. " + "x" * 300})
        self.assertEqual(customer.street, "Av. Arequipa 100")
        form = Form(self.env["res.partner"].with_context(default_is_registered_customer=True))
        form.name = "Exacto " + "n" * 243
        self.assertEqual(len(form.name), 250, "at the bound: accepted")

    def test_default_type_follows_the_country(self):
        IdType = self.env["l10n_latam.identification.type"]
        self.assertEqual(IdType._customer_default_for_country(self.pe), self.type_ruc)
        self.assertEqual(IdType._customer_default_for_country(self.hn), self.type_rtn)
        self.assertTrue(IdType.search(IdType._customer_governed_domain()) >= self.type_ruc | self.type_rtn)
        self.assertNotIn(self.env.ref("l10n_latam_base.it_vat"), IdType.search(IdType._customer_governed_domain()))
        form = self._new_customer_form()
        self.assertTrue(form.l10n_latam_identification_type_id.customs_document_code)
        form.country_id = self.hn
        self.assertEqual(form.l10n_latam_identification_type_id, self.type_rtn)
        form.country_id = self.pe
        self.assertEqual(form.l10n_latam_identification_type_id, self.type_ruc)
