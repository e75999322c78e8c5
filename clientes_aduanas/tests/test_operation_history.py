from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_customs_file import CustomsCase


@tagged("post_install", "-at_install")
class TestOperationHistory(CustomsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.file_import = cls._file(declaration_number="118-2026-10-000001")
        cls.file_export = cls._file(operation_type="export")
        cls.file_import.action_start()
        SaleOrder = cls.env["sale.order"]
        line = [Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 300})]
        cls.order_pending = SaleOrder.create({"partner_id": cls.customer.id, "order_line": line})
        cls.order_accepted = SaleOrder.create({"partner_id": cls.other_contact.id, "order_line": line})
        cls.order_accepted.action_confirm()
        cls.order_rejected = SaleOrder.create({"partner_id": cls.customer.id, "order_line": line})
        cls.order_rejected.action_cancel()
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.ops_contact.id,  # a contact's invoice belongs to the customer
                "invoice_line_ids": [Command.create({"product_id": cls.product.id, "price_unit": 300})],
            }
        )
        cls.invoice.action_post()
        cls.unpaid = cls.invoice.copy()
        cls.unpaid.action_post()
        register = cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoice.ids
        )
        cls.payments = register.create({})._create_payments()
        cls.History = cls.env["customs.operation.history"]

    def _history(self, domain=()):
        return self.History.search([("commercial_partner_id", "=", self.customer.id), *domain])

    def test_all_sources_newest_first(self):
        rows = self._history()
        self.assertEqual(
            sorted(set(rows.mapped("kind"))), ["customs_file", "invoice", "payment", "quotation"], rows.mapped("kind")
        )
        self.assertEqual(len(rows.filtered(lambda r: r.kind == "quotation")), 3)
        dates = rows.mapped("date")
        self.assertEqual(dates, sorted(dates, reverse=True))
        invoice_row = rows.filtered(lambda r: r.res_model == "account.move" and r.res_id == self.invoice.id)
        self.assertEqual(invoice_row.partner_id, self.ops_contact)
        self.assertEqual(invoice_row.action_open_document()["res_id"], self.invoice.id)

    def test_filters(self):
        self.assertEqual(
            self._history([("kind", "=", "customs_file"), ("operation_type", "=", "export")]).res_id,
            self.file_export.id,
        )
        self.assertEqual(self._history([("file_state", "=", "in_progress")]).res_id, self.file_import.id)
        quotations = {
            state: self._history([("quotation_state", "=", state)]).res_id
            for state in ("pending", "accepted", "rejected")
        }
        self.assertEqual(quotations["pending"], self.order_pending.id)
        self.assertEqual(quotations["accepted"], self.order_accepted.id)
        self.assertEqual(quotations["rejected"], self.order_rejected.id)
        paid_states = self._history([("kind", "=", "invoice")]).mapped(lambda r: (r.res_id, r.payment_state))
        self.assertIn((self.unpaid.id, "not_paid"), paid_states)
        self.assertIn((self.invoice.id, self.invoice.payment_state), paid_states)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(self._history([("kind", "=", "payment")]))
        today = self.file_import.opening_date
        self.assertTrue(self._history([("date", ">=", today), ("date", "<=", today)]))
        self.assertFalse(self._history([("date", "<", "2000-01-01")]))

    def test_counts_on_customer_and_contact(self):
        for partner in (self.customer, self.ops_contact):
            with self.subTest(partner=partner.name):
                partner.invalidate_recordset()
                self.assertEqual(partner.customs_file_count, 2)
                self.assertEqual(partner.customer_invoice_count, 2)
                self.assertEqual(partner.customer_payment_count, 1)
        self.assertEqual(self.customer.sale_order_count, 3)
        action = self.customer.action_view_customer_invoices()
        self.assertEqual(set(self.env["account.move"].search(action["domain"]).ids), {self.invoice.id, self.unpaid.id})
        self.assertEqual(
            self.env["customs.file"].search(self.customer.action_view_customs_files()["domain"]),
            self.file_import | self.file_export,
        )

    def test_history_needs_view_permission(self):
        self.assertTrue(
            self.History.with_user(self.user_view).search([("commercial_partner_id", "=", self.customer.id)])
        )
        with self.assertRaises(AccessError):
            self.History.with_user(self.user_plain).search([])

    def test_counts_query_count_is_constant(self):
        """The form's counts cost the same number of queries with 0 and with
        500 documents, and for 1 or 20 customers."""
        empty = self._create_customer(name="Vacío", vat="20603456786", email="vacio@example.pe")
        busy = self._create_customer(name="Ocupado", vat="20100070970", email="ocupado@example.pe")
        self.env["customs.file"].create([{"partner_id": busy.id} for _i in range(250)])
        self.env["sale.order"].create([{"partner_id": busy.id} for _i in range(250)])
        fields_to_read = ["customs_file_count", "customer_invoice_count", "customer_payment_count", "sale_order_count"]

        def count_queries(partners):
            partners.invalidate_recordset()
            self.env.invalidate_all()
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            partners.read(fields_to_read)
            return self.env.cr.sql_log_count - start

        self.assertEqual(count_queries(empty), count_queries(busy))
        others = self.env["res.partner"].create(
            [
                self._pe_vals(
                    name=f"Otro {i}",
                    vat=f"1{i:07d}",
                    email=f"otro{i}@example.pe",
                    l10n_latam_identification_type_id=self.type_dni.id,
                )
                for i in range(1, 18)
            ]
        )
        self.assertEqual(
            count_queries(empty | busy | self.customer), count_queries(empty | busy | self.customer | others)
        )
        self.assertEqual(busy.customs_file_count, 250)
        self.assertEqual(busy.sale_order_count, 250)
