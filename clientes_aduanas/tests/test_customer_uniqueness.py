"""Two registered customers are never the same one: duplicate checks on the
e-mail and the document, the stored keys behind the unique indexes and their
versioning, registrations racing in two transactions."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ..models.res_partner_uniqueness import EMAIL_INDEX, UNIQUE_INDEXES, index_version
from ..tools import contact_channel as ch
from ..tools import document_number as dn
from .common import ClientesAduanasCase, _ruc


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
class TestConcurrentDocument(ClientesAduanasCase):
    def test_concurrent_transactions_same_document(self):
        """Same document, different e-mails, two transactions: the document
        index refuses the second, whose user reads the first one's name."""
        vals_1 = self._pe_vals(vat=_ruc("2071000001"), email="doc1@example.pe", name="Race Doc 1")
        vals_2 = self._pe_vals(vat=_ruc("2071000001"), email="doc2@example.pe", name="Race Doc 2")
        outcome = self._race_two_registrations(vals_1, vals_2, [("vat", "=", vals_1["vat"])])
        self.assertFalse(outcome.get("created"), "both transactions registered the same document")
        self.assertEqual(
            outcome.get("error"), "A customer with this document type and number already exists: Race Doc 1"
        )


@tagged("post_install", "-at_install")
class TestCustomerNormalisedKeys(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Clave S.A.C.", email="\u00a0Dup@X.pe ")

    def _plain_vals(self, **overrides):
        vals = self._pe_vals(**overrides)
        vals.pop("is_registered_customer")
        return vals

    def test_email_with_nbsp_is_stored_clean_and_keyed(self):
        self.assertEqual(self.customer.email, "Dup@X.pe")
        self.assertEqual(self.customer.customer_email_key, "dup@x.pe")
        with self.assertRaises(ValidationError) as ctx:
            self._create_customer(name="Otro", vat=_ruc("2061000001"), email="dup@x.pe")
        self.assertIn("Clave S.A.C.", str(ctx.exception))

    def test_contact_with_dotted_dni_registered_by_write(self):
        """Reproduction: a contact stored with DNI 45.678.912 and then
        registered keeps 45.678.912; a second customer 45678912 saved."""
        partner = self.env["res.partner"].create(
            self._plain_vals(l10n_latam_identification_type_id=self.type_dni.id, vat="45.678.912", email="a@x.pe")
        )
        self.assertEqual(partner.vat, "45.678.912", "an ordinary partner keeps what it was given")
        partner.write({"is_registered_customer": True})
        self.assertEqual(partner.vat, "45678912")
        self.assertEqual(partner.customer_vat_key, "45678912")
        with self.assertRaises(ValidationError):
            self._create_customer(
                name="Segundo", l10n_latam_identification_type_id=self.type_dni.id, vat="45678912", email="b@x.pe"
            )

    def test_register_button_normalises_what_the_partner_stores(self):
        partner = self.env["res.partner"].create(
            self._plain_vals(
                l10n_latam_identification_type_id=self.type_dni.id,
                vat="45 678 912",
                email="\u00a0Nuevo@X.pe",
                notification_emails="Ops@X.pe ; jefe@x.pe",
            )
        )
        partner.action_register_customer()
        self.assertTrue(partner.is_registered_customer)
        self.assertEqual((partner.vat, partner.email), ("45678912", "Nuevo@X.pe"))
        self.assertEqual(partner.notification_emails, "ops@x.pe, jefe@x.pe")

    def test_register_button_replaces_the_generic_vat_type(self):
        partner = self.env["res.partner"].create(self._plain_vals(vat=_ruc("2061000002"), email="c@x.pe"))
        partner.l10n_latam_identification_type_id = self.env.ref("l10n_latam_base.it_vat")
        partner.action_register_customer()
        self.assertEqual(partner.l10n_latam_identification_type_id, self.type_ruc)

    def test_nbsp_email_registered_by_write_is_refused_as_duplicate(self):
        partner = self.env["res.partner"].create(self._plain_vals(vat=_ruc("2061000003"), email="\u00a0DUP@x.pe"))
        with self.assertRaises(ValidationError):
            partner.write({"is_registered_customer": True})
        self.assertFalse(partner.is_registered_customer)

    def test_mass_edit_normalises_each_customer(self):
        other = self._create_customer(name="Masa", vat=_ruc("2061000004"), email="masa@x.pe")
        customers = self.customer | other
        customers.write({"notification_whatsapp": "987 654 321"})
        self.assertEqual(customers.mapped("notification_whatsapp"), ["+51987654321", "+51987654321"])
        with self.assertRaises(ValidationError):
            customers.write({"email": "misma@x.pe"})

    def test_form_stores_normalised_values(self):
        form = self._new_customer_form(default_country_id=self.pe.id)
        self.assertEqual(form.l10n_latam_identification_type_id, self.type_ruc)
        form.name = "Formulario S.A.C."
        form.vat = "20-61000005-" + _ruc("2061000005")[-1]
        form.street = "Jr. Lima 1"
        form.city = "Lima"
        form.state_id = self.state_lima
        form.email = " Form@X.pe\u00a0"
        form.phone = "+51 1 4440000"
        partner = form.save()
        self.assertEqual((partner.vat, partner.email), (_ruc("2061000005"), "Form@X.pe"))

    def test_keys_cannot_be_written(self):
        plain = self.env["res.partner"].create({"name": "Ajeno", "customer_email_key": "otro@x.pe"})
        self.assertFalse(plain.customer_email_key)
        self.customer.write({"customer_email_key": "otro@x.pe", "customer_vat_key": "1"})
        self.assertEqual(
            (self.customer.customer_email_key, self.customer.customer_vat_key), ("dup@x.pe", "20512345671")
        )

    def test_keys_use_the_document_rules(self):
        self.assertEqual(dn.key(dn.PE_DNI, "45.678.912"), "45678912")
        self.assertEqual(ch.email_key("\u200b Dup@X.pe\u00a0"), "dup@x.pe")
        self.assertFalse(ch.email_key("  "))


@tagged("post_install", "-at_install")
class TestUniqueIndexVersions(ClientesAduanasCase):
    def _comment(self, name):
        self.env.cr.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [name])
        return self.env.cr.fetchone()[0]

    def test_changed_definition_is_replaced(self):
        columns, condition = UNIQUE_INDEXES[EMAIL_INDEX]
        self.assertEqual(self._comment(EMAIL_INDEX), index_version(columns, condition))
        self.env.cr.execute(f"COMMENT ON INDEX {EMAIL_INDEX} IS 'an older definition'")
        self.env["res.partner"]._customer_setup_unique_indexes()
        self.assertEqual(self._comment(EMAIL_INDEX), index_version(columns, condition))

    def test_duplicates_are_reported_and_the_upgrade_goes_on(self):
        first = self._create_customer(name="Primero", email="uno@x.pe")
        second = self._create_customer(name="Segundo", vat=_ruc("2064000001"), email="dos@x.pe")
        self.env.cr.execute(f"DROP INDEX {EMAIL_INDEX}")
        # What an earlier version let through (it compared raw values).
        self.env.cr.execute("UPDATE res_partner SET customer_email_key = 'uno@x.pe' WHERE id = %s", [second.id])
        self.env["res.partner"].invalidate_model()
        self.env["res.partner"]._customer_setup_unique_indexes()
        self.assertIsNone(self._comment(EMAIL_INDEX))
        log = self.env["ir.logging"].search([("func", "=", "_customer_setup_unique_indexes")], limit=1)
        self.assertIn("no se creó el índice único", log.message)
        self.assertIn(f"Primero (id {first.id})", log.message)
        self.assertIn(f"Segundo (id {second.id})", log.message)
