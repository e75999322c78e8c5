from datetime import date
from urllib.parse import quote

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CustomsCase


@tagged("post_install", "-at_install")
class TestCustomsFileWorkflow(CustomsCase):
    def test_sequence_and_defaults(self):
        first, second = self._file(), self._file(operation_type="export")
        year = fields.Date.today().year
        self.assertRegex(first.name, rf"^EXP/{year}/\d{{5}}$")
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)
        # The year is the opening date's: a file opened last year keeps it.
        old = self._file(opening_date=date(year - 1, 12, 30))
        self.assertRegex(old.name, rf"^EXP/{year - 1}/\d{{5}}$")
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.operations_contact_id, self.ops_contact)
        self.assertEqual(first.user_id, self.env.user)
        self.assertEqual(first.company_id, self.env.company)
        self.assertEqual(first.currency_id, self.env.company.currency_id)
        self.assertEqual(first.copy().state, "draft")
        self.assertNotEqual(first.copy().name, first.name)

    def test_full_workflow(self):
        record = self._file()
        record.action_start()
        self.assertEqual(record.state, "in_progress")
        with self.assertRaises(ValidationError):
            record.action_release()  # no declaration number yet
        record.declaration_number = "118-2026-10-000123"
        record.action_release()
        self.assertEqual(record.state, "released")
        self.assertFalse(record.closing_date)
        record.action_close()
        self.assertEqual(record.state, "closed")
        self.assertEqual(record.closing_date, fields.Date.context_today(record))
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = record.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertTrue(tracked, "state changes are tracked in the chatter")

    def test_guards(self):
        record = self._file(declaration_number="118-2026-10-000124")
        with self.assertRaises(UserError) as ctx:
            record.action_close()
        self.assertIn("never cleared", str(ctx.exception))
        with self.assertRaises(UserError):
            record.action_release()  # not started
        with self.assertRaises(UserError):
            record.action_draft()  # already a draft
        record.action_start()
        with self.assertRaises(UserError) as ctx:
            record.action_close()
        self.assertIn("never cleared", str(ctx.exception))
        # The guards are not only on the buttons: a plain write obeys them too.
        with self.assertRaises(UserError):
            record.write({"state": "closed"})
        with self.assertRaises(UserError):
            record.write({"state": "draft"})
        record.action_release()
        with self.assertRaises(UserError):
            record.write({"partner_id": self.ops_contact.id})  # released: the customer is fixed
        record.action_close()
        for action in (record.action_cancel, record.action_draft, record.action_start, record.action_release):
            with self.assertRaises(UserError):
                action()  # closed is final
        with self.assertRaises(UserError):
            record.unlink()
        self.assertEqual(record.state, "closed")

    def test_cancel_and_back_to_draft(self):
        record = self._file(declaration_number="118-2026-10-000125")
        record.action_start()
        record.action_release()
        record.action_cancel()
        self.assertEqual(record.state, "cancelled")
        with self.assertRaises(UserError):
            record.action_close()
        record.action_draft()
        self.assertEqual(record.state, "draft")
        self.assertFalse(record.closing_date)
        record.unlink()
        self.assertFalse(record.exists())

    def test_unregistered_or_suspended_customer_refused(self):
        ordinary = self.env["res.partner"].create({"name": "Ordinary"})
        with self.assertRaises(ValidationError) as ctx:
            self.env["customs.file"].create({"partner_id": ordinary.id})
        self.assertIn("not a registered customer", str(ctx.exception))
        record = self._file()
        with self.assertRaises(ValidationError):
            record.partner_id = ordinary
        self.assertEqual(record.partner_id, self.customer)
        # The form only offers registered, active customers.
        domain = self.env["customs.file"]._fields["partner_id"].domain
        self.assertIn("is_registered_customer", domain)
        self.assertIn("customer_state", domain)
        self.customer._suspend("Deuda vencida")
        for partner in (self.customer, self.ops_contact):
            with self.subTest(partner=partner.name), self.assertRaises(UserError):
                self.env["customs.file"].create({"partner_id": partner.id})
        # A draft file of a customer suspended later cannot start either.
        with self.assertRaises(UserError):
            record.action_start()

    def test_delete_customer_with_customs_file_refused(self):
        self._file()
        with self.assertRaises(UserError) as ctx:
            self.customer.unlink()
        self.assertIn("customs file", str(ctx.exception))
        self.assertTrue(self.customer.exists())

    def test_linked_documents(self):
        order = self.env["sale.order"].create({"partner_id": self.other_contact.id})
        invoice = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.customer.id})
        record = self._file(sale_order_ids=[Command.link(order.id)], invoice_ids=[Command.link(invoice.id)])
        self.assertEqual((record.sale_order_count, record.invoice_count), (1, 1))
        self.assertEqual(record.action_view_sale_orders()["domain"], [("id", "in", order.ids)])
        self.assertEqual(record.action_view_invoices()["domain"], [("id", "in", invoice.ids)])

    def test_form_defaults_operations_contact(self):
        form = Form(self.env["customs.file"])
        form.partner_id = self.customer
        self.assertEqual(form.operations_contact_id, self.ops_contact)
        form.operations_contact_id = self.other_contact
        form.operation_type = "export"
        form.declared_value = 1500
        record = form.save()
        self.assertEqual(record.operation_type, "export")
        self.assertEqual(record.operations_contact_id, self.other_contact)
        self.assertTrue(record.name.startswith("EXP/"))


@tagged("post_install", "-at_install")
class TestCustomsFileNotifications(CustomsCase):
    def test_state_change_mail_queued_to_valid_addresses(self):
        record = self._file()
        self.assertFalse(self._mails(record), "creating a file sends nothing")
        record.action_start()
        mail = self._mails(record)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued for the mail cron, not sent synchronously")
        self.assertEqual(mail.email_to, "ops@cliente.example.pe,jefe@cliente.example.pe")
        self.assertFalse(mail.recipient_ids, "only the notification addresses, not the customer's followers")
        self.assertIn(record.name, mail.subject)
        self.assertIn("Estimado cliente", mail.body_html)
        self.assertIn("importación", mail.body_html)
        self.assertIn("Aduanas Cliente S.A.C.", mail.body_html)
        record.declaration_number = "118-2026-10-000126"
        record.action_release()
        self.assertEqual(len(self._mails(record)), 2, "one e-mail per state change")
        self.assertIn("118-2026-10-000126", (self._mails(record) - mail).body_html)
        note = record.message_ids.filtered(lambda m: "ops@cliente.example.pe" in (m.body or ""))
        self.assertTrue(note, "the chatter says who was e-mailed")

    def test_no_mail_for_invalid_addresses(self):
        record = self._file()
        self._set_raw(
            self.customer,
            notification_emails="not-an-address; ops@cliente.example.pe, a@b@c.example.pe, "
            "Jefa <jefa@cliente.example.pe>",
        )
        invalid = []
        self.assertEqual(record._get_notification_emails(invalid), "ops@cliente.example.pe,jefa@cliente.example.pe")
        self.assertEqual(invalid, ["not-an-address", "a@b@c.example.pe"])
        record.action_start()
        self.assertEqual(self._mails(record).email_to, "ops@cliente.example.pe,jefa@cliente.example.pe")
        note = record.message_ids.filtered(lambda m: "not-an-address" in (m.body or ""))
        self.assertTrue(note, "the skipped addresses are reported in the chatter")

        other = self._file()
        self._set_raw(self.customer, notification_emails="broken@, @cliente.example.pe")
        other.action_start()
        self.assertFalse(self._mails(other), "no e-mail when no address is valid")

    def test_no_mail_without_notification_emails(self):
        self.customer.notification_emails = False
        record = self._file()
        record.action_start()
        self.assertFalse(self._mails(record))

    def test_whatsapp_link_in_chatter(self):
        record = self._file()
        record.action_start()
        text = quote(record.with_context(lang="es_PE")._get_whatsapp_message())
        self.assertIn(record.name, record.with_context(lang="es_PE")._get_whatsapp_message())
        note = record.message_ids.filtered(lambda m: "wa.me" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"), "an internal note, not a customer message")
        self.assertIn(f"https://wa.me/51987654321?text={text}".replace("&", "&amp;"), note.body)

    def test_whatsapp_one_link_per_valid_number(self):
        self._set_raw(self.customer, notification_whatsapp="+51987654321, +50499887766, 12, +51 9x8")
        record = self._file()
        self.assertEqual(record._get_whatsapp_numbers(), ["51987654321", "50499887766"])
        record.action_start()
        note = record.message_ids.filtered(lambda m: "wa.me" in (m.body or ""))
        self.assertEqual(note.body.count("https://wa.me/"), 2)
        self._set_raw(self.customer, notification_whatsapp=None)
        other = self._file()
        other.action_start()
        self.assertFalse(other.message_ids.filtered(lambda m: "wa.me" in (m.body or "")))


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
        with self.assertRaises(AccessError):
            record.with_user(self.user_view).action_start()
        created = CustomsFile.with_user(self.user_create).create({"partner_id": self.customer.id})
        self.assertTrue(created.name.startswith("EXP/"))
        with self.assertRaises(AccessError):
            created.with_user(self.user_create).write({"customs_office": "Callao"})
        record.with_user(self.user_edit).write({"customs_office": "Callao"})
        # A user with the edit permission runs the workflow; the template is
        # rendered and the e-mail queued on their behalf.
        record.with_user(self.user_edit).action_start()
        self.assertEqual(record.state, "in_progress")
        self.assertEqual(len(self._mails(record)), 1)
        with self.assertRaises(AccessError):
            created.with_user(self.user_edit).unlink()
        created.with_user(self.user_delete).unlink()
        with self.assertRaises(AccessError):
            CustomsFile.with_user(self.user_plain).search([])
        manager_file = CustomsFile.with_user(self.user_manager).create({"partner_id": self.customer.id})
        manager_file.write({"customs_office": "Paita"})
        manager_file.unlink()

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Otra Agencia"})
        record = self._file(company_id=other_company.id)
        self.assertTrue(record.name.startswith("EXP/"))
        self.user_manager.company_ids = [Command.set(self.env.company.ids)]
        visible = self.env["customs.file"].with_user(self.user_manager).search([("id", "=", record.id)])
        self.assertFalse(visible)
        with self.assertRaises(AccessError):
            record.with_user(self.user_manager).read(["name"])


@tagged("post_install", "-at_install")
class TestCompanySetting(CustomsCase):
    def test_require_registered_customer(self):
        ordinary = self.env["res.partner"].create({"name": "Walk-in"})
        # Off by default: installing the addon changes nothing.
        self.assertFalse(self.env.company.require_registered_customer)
        self.env["sale.order"].create({"partner_id": ordinary.id})
        self.env["account.move"].create({"move_type": "out_invoice", "partner_id": ordinary.id})
        self.env.company.require_registered_customer = True
        with self.assertRaises(ValidationError) as ctx:
            self.env["sale.order"].create({"partner_id": ordinary.id})
        self.assertIn("not a registered customer", str(ctx.exception))
        for move_type in ("out_invoice", "out_refund"):
            with self.subTest(move_type=move_type), self.assertRaises(ValidationError):
                self.env["account.move"].create({"move_type": move_type, "partner_id": ordinary.id})
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaises(ValidationError):
            order.partner_id = ordinary  # re-assigning is checked too
        # Vendor bills are not concerned; registered customers and their contacts pass.
        self.env["account.move"].create({"move_type": "in_invoice", "partner_id": ordinary.id})
        self.env["sale.order"].create({"partner_id": self.other_contact.id})
        self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.customer.id})
        # Registered but suspended: refused (whatever the setting).
        self.customer._suspend("Deuda vencida")
        with self.assertRaises(UserError):
            self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaises(UserError):
            self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.customer.id})
        # Switched off again: ordinary partners are accepted again.
        self.env.company.require_registered_customer = False
        self.env["sale.order"].create({"partner_id": ordinary.id})

    def test_setting_per_company(self):
        ordinary = self.env["res.partner"].create({"name": "Walk-in"})
        other_company = self.env["res.company"].create({"name": "Otra Agencia", "require_registered_customer": True})
        self.env["sale.order"].create({"partner_id": ordinary.id})
        with self.assertRaises(ValidationError):
            self.env["sale.order"].create({"partner_id": ordinary.id, "company_id": other_company.id})

    def test_setting_in_config(self):
        settings = self.env["res.config.settings"].create({"require_registered_customer": True})
        settings.execute()
        self.assertTrue(self.env.company.require_registered_customer)
