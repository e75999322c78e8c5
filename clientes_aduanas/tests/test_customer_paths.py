"""The customer rules on every path that makes or keeps a registered
customer: RPC create/write, the register button, the form, Odoo's generic
importer, mass edit, copy, the merge wizard, quick-create; the database keys
behind the unique indexes and their versioning."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ClientesAduanasCase, _ruc


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
