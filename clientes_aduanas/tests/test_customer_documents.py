from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestCustomerDocuments(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.mandate = cls.env.ref("clientes_aduanas.customer_document_type_mandate")
        cls.ficha = cls.env.ref("clientes_aduanas.customer_document_type_ficha_ruc")
        cls.customer = cls._create_customer(user_id=cls.user_manager.id)
        cls.Document = cls.env["res.partner.customer.document"]

    def _activities(self, partner):
        return self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])

    def test_expiry_activity_created_once(self):
        soon = self.Document.create(
            {
                "partner_id": self.customer.id,
                "document_type_id": self.mandate.id,
                "number": "P-1",
                "expiry_date": self.today + timedelta(days=20),
            }
        )
        later = self.Document.create(
            {
                "partner_id": self.customer.id,
                "document_type_id": self.ficha.id,
                "expiry_date": self.today + timedelta(days=90),
            }
        )
        self.assertEqual((soon.state, later.state), ("expiring", "valid"))
        self.Document._cron_notify_expiring()
        activity = self._activities(self.customer)
        self.assertEqual(len(activity), 1, "only the document expiring within 30 days")
        self.assertEqual(activity.user_id, self.user_manager, "the customer's salesperson")
        self.assertEqual(activity.date_deadline, soon.expiry_date)
        self.assertTrue(soon.expiry_notified)
        self.Document._cron_notify_expiring()
        self.assertEqual(len(self._activities(self.customer)), 1, "once per document")
        # A renewal (new expiry) is warned again when its time comes.
        soon.expiry_date = self.today + timedelta(days=10)
        self.assertFalse(soon.expiry_notified)
        self.Document._cron_notify_expiring()
        self.assertEqual(len(self._activities(self.customer)), 2)

    def test_dates_checked(self):
        with self.assertRaises(ValidationError):
            self.Document.create(
                {
                    "partner_id": self.customer.id,
                    "document_type_id": self.mandate.id,
                    "issue_date": self.today,
                    "expiry_date": self.today - timedelta(days=1),
                }
            )

    def test_warning_or_refusal_on_opening_a_customs_file(self):
        # The power of attorney expired yesterday.
        self.Document.create(
            {
                "partner_id": self.customer.id,
                "document_type_id": self.mandate.id,
                "expiry_date": self.today - timedelta(days=1),
            }
        )
        self.assertEqual(self.customer._missing_customer_documents(), ["Poder / mandato aduanero"])
        # Default: a warning on the form, the file is opened.
        form = Form(self.env["customs.file"])
        form.partner_id = self.customer
        record = form.save()
        self.assertTrue(record.id)
        warning = record._onchange_partner_id_customer_documents()
        self.assertIn("Poder / mandato aduanero", warning["warning"]["message"])
        # The company's setting makes it a refusal, on every way in.
        self.env.company.customer_document_refuse = True
        with self.assertRaisesRegex(ValidationError, "Poder / mandato aduanero"):
            self.env["customs.file"].create({"partner_id": self.customer.id})
        # A renewed power of attorney lets the file be opened.
        self.Document.create(
            {
                "partner_id": self.customer.id,
                "document_type_id": self.mandate.id,
                "expiry_date": self.today + timedelta(days=365),
            }
        )
        self.assertFalse(self.customer._missing_customer_documents())
        self.assertTrue(self.env["customs.file"].create({"partner_id": self.customer.id}))

    def test_permissions(self):
        document = self.Document.create({"partner_id": self.customer.id, "document_type_id": self.mandate.id})
        self.assertEqual(document.with_user(self.user_view).number, False)
        with self.assertRaises(AccessError):  # read-only users cannot edit
            document.with_user(self.user_view).write({"number": "X"})
        document.with_user(self.user_edit).write({"number": "P-2"})
        self.assertEqual(document.number, "P-2")
