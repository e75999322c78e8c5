from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models import res_partner_customer_document as documents_module
from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestCustomerDocumentExpiryBulk(ClientesAduanasCase):
    """The expiry cron's SQL path (many documents in one run) writes the
    same activities as its ORM path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.mandate = cls.env.ref("clientes_aduanas.customer_document_type_mandate")
        cls.with_salesperson = cls._create_customer(user_id=cls.user_manager.id)
        cls.without = cls._create_customer(vat="20603456786", email="otro@lima.example.pe")
        Document = cls.env["res.partner.customer.document"]
        cls.documents = Document.create(
            [
                {
                    "partner_id": partner.id,
                    "document_type_id": cls.mandate.id,
                    "expiry_date": today + timedelta(days=days),
                }
                for partner, days in (
                    (cls.with_salesperson, 5),
                    (cls.with_salesperson, -40),
                    (cls.without, 29),
                    (cls.without, 31),
                )
            ]
        )

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", (self.with_salesperson | self.without).ids)]
        )

    def _run(self, limit):
        with patch.object(documents_module, "ACTIVITY_ORM_LIMIT", limit):
            self.env["res.partner.customer.document"]._cron_notify_expiring()
        return {(a.res_id, a.user_id.id, a.date_deadline, a.summary, a.activity_type_id.id) for a in self._activities()}

    def _followers(self):
        customers = self.with_salesperson | self.without
        customers.invalidate_recordset()
        return {(f.res_id, f.partner_id.id, tuple(f.subtype_ids.ids)) for f in customers.message_follower_ids}

    def test_sql_path_writes_what_the_orm_path_writes(self):
        with self.env.cr.savepoint() as savepoint:
            by_orm = self._run(limit=500)
            followers_by_orm = self._followers()
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertFalse(self._activities())
        by_sql = self._run(limit=1)
        self.assertEqual(len(by_sql), 3, "the document expiring in 31 days waits")
        self.assertEqual(by_sql, by_orm)
        self.assertEqual(self._followers(), followers_by_orm, "the responsibles follow, with the same subtypes")
        self.assertIn(self.user_manager.partner_id, self.with_salesperson.message_partner_ids)
        self.assertEqual(self.documents.mapped("expiry_notified"), [True, True, True, False])
        self.assertIn((self.without.id, self.env.uid), {(key[0], key[1]) for key in by_sql})
        self.assertTrue(all(a.res_name for a in self._activities()))
        # Once per document.
        self.assertEqual(self._run(limit=1), by_sql)
