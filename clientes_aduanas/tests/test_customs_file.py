from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ClientesAduanasCase


class CustomsCase(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.customer = cls._create_customer(
            name="Aduanas Cliente S.A.C.",
            notification_emails="ops@cliente.example.pe, jefe@cliente.example.pe",
            notification_whatsapp="+51987654321",
            lang="es_PE",
        )
        cls.ops_contact = cls.env["res.partner"].create(
            {"name": "Operaciones", "parent_id": cls.customer.id, "is_operations_contact": True}
        )
        cls.other_contact = cls.env["res.partner"].create({"name": "Otro", "parent_id": cls.customer.id})
        cls.product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 300})

    @classmethod
    def _file(cls, **vals):
        return cls.env["customs.file"].create({"partner_id": cls.customer.id, "operation_type": "import", **vals})


@tagged("post_install", "-at_install")
class TestCustomsFile(CustomsCase):
    def test_sequence_and_defaults(self):
        first, second = self._file(), self._file(operation_type="export")
        year = fields.Date.today().year
        self.assertRegex(first.name, rf"^EXP/{year}/\d{{5}}$")
        self.assertNotEqual(first.name, second.name)
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.operations_contact_id, self.ops_contact)
        self.assertEqual(first.user_id, self.env.user)

    def test_workflow_and_guards(self):
        record = self._file()
        with self.assertRaises(UserError):
            record.action_close()  # never released
        with self.assertRaises(UserError):
            record.action_release()  # not started
        record.action_start()
        with self.assertRaises(ValidationError):
            record.action_release()  # no declaration number yet
        record.declaration_number = "118-2026-10-000123"
        record.action_release()
        record.action_close()
        self.assertEqual(record.state, "closed")
        self.assertEqual(record.closing_date, fields.Date.context_today(record))
        with self.assertRaises(UserError):
            record.action_cancel()
        with self.assertRaises(UserError):
            record.unlink()
        tracked = record.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        # Changes made in one transaction are tracked together, at commit.
        self.assertTrue(tracked, "state changes are tracked in the chatter")

    def test_cancel_and_back_to_draft(self):
        record = self._file()
        record.action_cancel()
        record.action_draft()
        self.assertEqual(record.state, "draft")
        record.unlink()

    def test_unregistered_or_suspended_customer_refused(self):
        ordinary = self.env["res.partner"].create({"name": "Ordinary"})
        with self.assertRaises(ValidationError):
            self.env["customs.file"].create({"partner_id": ordinary.id})
        self.customer._suspend("Deuda")
        for partner in (self.customer, self.ops_contact):
            with self.assertRaises(UserError):
                self.env["customs.file"].create({"partner_id": partner.id})

    def test_delete_customer_with_customs_file_refused(self):
        self._file()
        with self.assertRaises(UserError) as ctx:
            self.customer.unlink()
        self.assertIn("customs files", str(ctx.exception))

    def test_state_change_mail_queued_to_valid_addresses(self):
        self.customer.notification_emails = "ops@cliente.example.pe, jefe@cliente.example.pe"
        record = self._file()
        Mail = self.env["mail.mail"]
        before = Mail.search([("model", "=", "customs.file"), ("res_id", "=", record.id)])
        record.action_start()
        mails = Mail.search([("model", "=", "customs.file"), ("res_id", "=", record.id)]) - before
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "outgoing", "queued, not sent synchronously")
        self.assertEqual(mails.email_to, "ops@cliente.example.pe,jefe@cliente.example.pe")
        self.assertIn("Estimado cliente", mails.body_html)
        self.assertIn(record.name, mails.subject)
        self.assertIn("importación", mails.body_html)

    def test_no_mail_for_invalid_addresses(self):
        record = self._file()
        # Bypass the partner validation to simulate legacy bad data.
        self.env.cr.execute(
            "UPDATE res_partner SET notification_emails = %s WHERE id = %s",
            ["not-an-address, ops@cliente.example.pe", self.customer.id],
        )
        self.customer.invalidate_recordset(["notification_emails"])
        self.assertEqual(record._get_notification_emails(), "ops@cliente.example.pe")
        self.env.cr.execute("UPDATE res_partner SET notification_emails = 'broken@' WHERE id = %s", [self.customer.id])
        self.customer.invalidate_recordset(["notification_emails"])
        before = self.env["mail.mail"].search_count([("model", "=", "customs.file"), ("res_id", "=", record.id)])
        record.action_start()
        after = self.env["mail.mail"].search_count([("model", "=", "customs.file"), ("res_id", "=", record.id)])
        self.assertEqual(before, after)

    def test_whatsapp_link_in_chatter(self):
        record = self._file()
        record.action_start()
        note = record.message_ids.filtered(lambda m: "wa.me" in (m.body or ""))[:1]
        self.assertTrue(note)
        self.assertIn("https://wa.me/51987654321?text=", note.body)

    def test_linked_documents(self):
        order = self.env["sale.order"].create({"partner_id": self.other_contact.id})
        record = self._file(sale_order_ids=[Command.link(order.id)])
        self.assertEqual(record.sale_order_count, 1)
        self.assertEqual(record.action_view_sale_orders()["domain"], [("id", "in", order.ids)])

    def test_form_defaults_operations_contact(self):
        form = Form(self.env["customs.file"])
        form.partner_id = self.customer
        self.assertEqual(form.operations_contact_id, self.ops_contact)
        form.operation_type = "export"
        record = form.save()
        self.assertEqual(record.operation_type, "export")


@tagged("post_install", "-at_install")
class TestCustomsFilePermissions(CustomsCase):
    def test_permissions_per_group(self):
        record = self._file()
        CustomsFile = self.env["customs.file"]
        self.assertEqual(CustomsFile.with_user(self.user_view).browse(record.id).name, record.name)
        with self.assertRaises(AccessError):
            CustomsFile.with_user(self.user_view).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            record.with_user(self.user_view).write({"customs_office": "Callao"})
        created = CustomsFile.with_user(self.user_create).create({"partner_id": self.customer.id})
        self.assertTrue(created.name.startswith("EXP/"))
        record.with_user(self.user_edit).write({"customs_office": "Callao"})
        with self.assertRaises(AccessError):
            record.with_user(self.user_edit).unlink()
        created.with_user(self.user_delete).unlink()
        with self.assertRaises(AccessError):
            CustomsFile.with_user(self.user_plain).search([])

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Otra Agencia"})
        record = self._file(company_id=other_company.id)
        self.user_manager.company_ids = [Command.set(self.env.company.ids)]
        visible = self.env["customs.file"].with_user(self.user_manager).search([("id", "=", record.id)])
        self.assertFalse(visible)


@tagged("post_install", "-at_install")
class TestCompanySetting(CustomsCase):
    def test_require_registered_customer(self):
        ordinary = self.env["res.partner"].create({"name": "Walk-in"})
        # Off by default: installing the addon changes nothing.
        self.assertFalse(self.env.company.require_registered_customer)
        self.env["sale.order"].create({"partner_id": ordinary.id})
        self.env["account.move"].create({"move_type": "out_invoice", "partner_id": ordinary.id})
        self.env.company.require_registered_customer = True
        with self.assertRaises(ValidationError):
            self.env["sale.order"].create({"partner_id": ordinary.id})
        with self.assertRaises(ValidationError):
            self.env["account.move"].create({"move_type": "out_invoice", "partner_id": ordinary.id})
        # Vendor bills are not concerned; registered customers and their contacts pass.
        self.env["account.move"].create({"move_type": "in_invoice", "partner_id": ordinary.id})
        self.env["sale.order"].create({"partner_id": self.other_contact.id})
        self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.customer.id})

    def test_setting_in_config(self):
        settings = self.env["res.config.settings"].create({"require_registered_customer": True})
        settings.execute()
        self.assertTrue(self.env.company.require_registered_customer)
