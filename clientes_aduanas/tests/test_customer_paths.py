"""The customer rules on every path that makes or keeps a registered
customer: RPC create/write, the register button, the form, Odoo's generic
importer, mass edit, copy, the merge wizard, quick-create; the database keys
behind the unique indexes and their versioning."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.res_partner_uniqueness import EMAIL_INDEX, UNIQUE_INDEXES, index_version
from ..tools import contact_channel as ch
from ..tools import document_number as dn
from .common import ClientesAduanasCase


def _ruc(body):
    return body + dn.pe_ruc.calc_check_digit(body)


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
        form = Form(
            self.env["res.partner"].with_context(default_is_registered_customer=True, default_country_id=self.pe.id),
            view="clientes_aduanas.res_partner_view_form_customer",
        )
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
        form = Form(
            self.env["res.partner"].with_context(default_is_registered_customer=True),
            view="clientes_aduanas.res_partner_view_form_customer",
        )
        self.assertTrue(form.l10n_latam_identification_type_id.customs_document_code)
        form.country_id = self.hn
        self.assertEqual(form.l10n_latam_identification_type_id, self.type_rtn)
        form.country_id = self.pe
        self.assertEqual(form.l10n_latam_identification_type_id, self.type_ruc)


@tagged("post_install", "-at_install")
class TestCustomerCopy(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Original S.A.C.")

    def test_copy_is_a_registered_customer_awaiting_document_and_email(self):
        """Reproduction: Duplicate created an unregistered twin with the
        same RUC and e-mail."""
        copy = self.customer.copy()
        self.assertTrue(copy.is_registered_customer)
        self.assertTrue(copy.customer_incomplete)
        self.assertFalse(copy.vat or copy.email)
        self.assertEqual(copy.street, self.customer.street)
        with self.assertRaises(UserError) as ctx:
            self.env["sale.order"].create({"partner_id": copy.id})
        self.assertIn("complete it", str(ctx.exception))
        with self.assertRaises(ValidationError):
            copy.write({"vat": "123"})
        copy.write({"vat": _ruc("2062000001"), "email": "copia@x.pe"})
        self.assertFalse(copy.customer_incomplete)
        self.env["sale.order"].create({"partner_id": copy.id})

    def test_notification_list_sent_as_a_number_by_rpc(self):
        """A number in a notification list reached the caller as a raw
        TypeError; it is an invalid item like any other."""
        with self.assertRaisesRegex(ValidationError, "12345 is not a valid address"):
            self.customer.write({"notification_emails": 12345})
        with self.assertRaisesRegex(ValidationError, "12345 is not a valid phone number"):
            self.customer.write({"notification_whatsapp": 12345})

    def test_copy_of_a_suspended_customer_starts_active(self):
        """Duplicate of a suspended (archived) customer was refused with
        "A new customer starts active", which the user never asked for."""
        suspended = self._create_customer(name="Suspendida S.A.C.", vat=_ruc("2062000002"), email="susp@x.pe")
        suspended._suspend("Deuda")
        copy = suspended.with_user(self.user_manager).copy()
        self.assertTrue(copy.active)
        self.assertEqual(copy.customer_state, "active")
        self.assertTrue(copy.is_registered_customer and copy.customer_incomplete)
        self.assertFalse(copy.suspension_reason)
        self.assertFalse(suspended.active, "the original stays suspended")

    def test_copy_of_a_name_at_the_length_bound(self):
        """Odoo's "(copy)" pushed a 250-character name over the bound:
        Duplicate was refused for a valid customer."""
        name = "Razón social larga " + "n" * 231
        customer = self._create_customer(name=name, vat=_ruc("2062000003"), email="larga@x.pe")
        copy = customer.copy()
        self.assertEqual(len(copy.name), 250)
        self.assertNotEqual(copy.name, name)
        self.assertTrue(copy.name.startswith("Razón social larga "))

    def test_incomplete_flag_cannot_be_forged(self):
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create(self._pe_vals(vat=False, email=False, customer_incomplete=True))
        self.customer.write({"customer_incomplete": True})
        self.assertFalse(self.customer.customer_incomplete)


@tagged("post_install", "-at_install")
class TestOdooGenericPaths(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Existente S.A.C.", email="existe@x.pe")

    def _base_import(self, rows):
        header = "name,is_registered_customer,l10n_latam_identification_type_id,vat,street,city,country_id,email,phone"
        data = "\n".join([header, *rows]).encode()
        importer = self.env["base_import.import"].create(
            {"res_model": "res.partner", "file": data, "file_type": "text/csv", "file_name": "clientes.csv"}
        )
        return importer.execute_import(
            header.split(","),
            header.split(","),
            {"quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8"},
        )

    def test_base_import_goes_through_the_rules(self):
        ruc = _ruc("2063000001")
        result = self._base_import(
            [f'Importada S.A.C.,1,RUC,"{ruc[:2]}-{ruc[2:]}",Av. 1,Lima,Peru,nueva@x.pe,+51 1 4441111']
        )
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual((partner.vat, partner.is_registered_customer), (ruc, True))
        result = self._base_import(
            [f"Repetida S.A.C.,1,RUC,{_ruc('2063000002')},Av. 2,Lima,Peru,\u00a0EXISTE@x.pe,+51 1 4442222"]
        )
        self.assertFalse(result["ids"])
        self.assertIn("Existente S.A.C.", " ".join(m["message"] for m in result["messages"]))

    def test_merge_wizard_into_a_registered_customer(self):
        duplicate = self.env["res.partner"].create({"name": "Existente (duplicado)", "email": "existe@x.pe"})
        order = self.env["sale.order"].create({"partner_id": duplicate.id})
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [(6, 0, (self.customer | duplicate).ids)], "dst_partner_id": self.customer.id}
        )
        wizard.action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(self.customer.customer_email_key, "existe@x.pe")

    def test_merge_wizard_from_a_registered_customer(self):
        target = self.env["res.partner"].create({"name": "Destino", "l10n_latam_identification_type_id": False})
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [(6, 0, (self.customer | target).ids)], "dst_partner_id": target.id}
        )
        wizard.action_merge()
        self.assertFalse(self.customer.exists())
        self.assertTrue(target.is_registered_customer)
        self.assertEqual((target.vat, target.customer_email_key), ("20512345671", "existe@x.pe"))
        self.assertEqual(order.partner_id, target)

    def test_quick_create(self):
        Partner = self.env["res.partner"]
        with self.assertRaises(ValidationError) as ctx:
            Partner.with_context(default_is_registered_customer=True).name_create("Solo Nombre")
        self.assertIn("The address is required.", str(ctx.exception))
        partner_id, _name = Partner.name_create("Cliente de mostrador")
        self.assertFalse(Partner.browse(partner_id).is_registered_customer)
        with Form(self.env["sale.order"]) as order:
            order.partner_id = Partner.browse(partner_id)
        self.assertEqual(order.record.partner_id.id, partner_id)


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
