from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_customs_file import CustomsCase


class HistoryCase(CustomsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.file_import = cls._file(declaration_number="118-2026-10-000001")
        cls.file_export = cls._file(operation_type="export", opening_date=cls.today - timedelta(days=40))
        cls.file_import.action_start()
        cls.order_pending = cls._order(cls.customer)
        cls.order_accepted = cls._order(cls.other_contact)  # a contact's order belongs to the customer
        cls.order_accepted.action_confirm()
        cls.order_rejected = cls._order(cls.customer)
        cls.order_rejected.action_cancel()
        cls.invoice = cls._invoice(cls.ops_contact, 300)  # a contact's invoice belongs to the customer
        cls.unpaid = cls._invoice(cls.customer, 200)
        cls.partial = cls._invoice(cls.customer, 1000)
        cls.payment = cls._pay(cls.invoice)
        cls.partial_payment = cls._pay(cls.partial, amount=400)
        cls.refund = cls._invoice(cls.customer, 50, move_type="out_refund")
        cls.cancelled = cls._invoice(cls.customer, 70)
        cls.cancelled.button_cancel()
        cls.History = cls.env["customs.operation.history"]

    @classmethod
    def _order(cls, partner, **vals):
        line = [Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 300})]
        return cls.env["sale.order"].create({"partner_id": partner.id, "order_line": line, **vals})

    @classmethod
    def _invoice(cls, partner, price, move_type="out_invoice", **vals):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create({"product_id": cls.product.id, "price_unit": price, "tax_ids": []})
                ],
                **vals,
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, **vals):
        register = cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids)
        return register.create(vals)._create_payments()

    def _history(self, domain=(), user=None):
        History = self.History.with_user(user) if user else self.History
        return History.search([("commercial_partner_id", "=", self.customer.id), *domain])

    def _row(self, record, rows=None):
        rows = self._history() if rows is None else rows
        return rows.filtered(lambda r: r.res_model == record._name and r.res_id == record.id)


@tagged("post_install", "-at_install")
class TestOperationHistory(HistoryCase):
    def test_all_sources_newest_first(self):
        rows = self._history()
        self.assertEqual(set(rows.mapped("kind")), {"customs_file", "invoice", "payment", "quotation"})
        kinds = rows.mapped("kind")
        self.assertEqual(
            (kinds.count("customs_file"), kinds.count("quotation"), kinds.count("invoice"), kinds.count("payment")),
            (2, 3, 4, 2),
            "two files, three quotations, four issued invoices (the cancelled one is left out), two payments",
        )
        dates = rows.mapped("date")
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertEqual(rows[-1].res_id, self.file_export.id, "the oldest operation comes last")
        invoice_row = self._row(self.invoice, rows)
        self.assertEqual(invoice_row.partner_id, self.ops_contact)
        self.assertEqual(invoice_row.commercial_partner_id, self.customer)
        self.assertEqual(invoice_row.reference, self.invoice.name)
        self.assertEqual(invoice_row.amount, self.invoice.amount_total)
        self.assertEqual(self._row(self.refund, rows).amount, -self.refund.amount_total)
        self.assertFalse(self._row(self.cancelled, rows))
        file_row = self._row(self.file_import, rows)
        self.assertEqual((file_row.reference, file_row.operation_type), (self.file_import.name, "import"))
        action = invoice_row.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", self.invoice.id))

    def test_quotation_states(self):
        rows = self._history()
        self.assertEqual(self._row(self.order_pending, rows).quotation_state, "pending")
        self.assertEqual(self._row(self.order_accepted, rows).quotation_state, "accepted")
        self.assertEqual(self._row(self.order_rejected, rows).quotation_state, "rejected")
        self.order_pending.action_quotation_sent()
        self.assertEqual(self._row(self.order_pending).quotation_state, "pending", "sent but not answered")

    def test_payment_states(self):
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.partial.payment_state, "partial")
        self.assertEqual(self.unpaid.payment_state, "not_paid")
        rows = self._history()
        for invoice in (self.invoice, self.partial, self.unpaid):
            self.assertEqual(self._row(invoice, rows).payment_state, invoice.payment_state)
        payment_row = self._row(self.payment, rows)
        self.assertEqual(payment_row.kind, "payment")
        self.assertEqual(payment_row.payment_state, self.payment.state)
        self.assertEqual(payment_row.amount, 300)
        self.assertEqual(self._row(self.partial_payment, rows).amount, 400)
        labels = dict(self.History._fields["payment_state"]._description_selection(self.env))
        self.assertIn("partial", labels)
        self.assertIn("in_process", labels, "payment states are in the same selection")

    def test_filters(self):
        self.assertEqual(
            self._history([("kind", "=", "customs_file"), ("operation_type", "=", "export")]).res_id,
            self.file_export.id,
        )
        self.assertEqual(self._history([("operation_type", "=", "import")]).res_id, self.file_import.id)
        self.assertEqual(self._history([("file_state", "=", "in_progress")]).res_id, self.file_import.id)
        self.assertEqual(self._history([("file_state", "=", "draft")]).res_id, self.file_export.id)
        for state, order in (
            ("pending", self.order_pending),
            ("accepted", self.order_accepted),
            ("rejected", self.order_rejected),
        ):
            self.assertEqual(self._history([("quotation_state", "=", state)]).res_id, order.id)
        self.assertEqual(self._history([("payment_state", "=", "partial")]).res_id, self.partial.id)
        self.assertEqual(
            set(self._history([("kind", "=", "invoice"), ("payment_state", "=", "not_paid")]).mapped("res_id")),
            {self.unpaid.id, self.refund.id},
        )
        # Date range: only the export file was opened 40 days ago.
        old = self._history(
            [("date", ">=", self.today - timedelta(days=45)), ("date", "<=", self.today - timedelta(days=35))]
        )
        self.assertEqual(old.res_id, self.file_export.id)
        self.assertFalse(self._history([("date", "<", "2000-01-01")]))
        self.assertEqual(len(self._history([("date", "=", self.today)])), 10)
        groups = self.History._read_group(
            [("commercial_partner_id", "=", self.customer.id)], ["kind"], ["__count", "amount:sum"]
        )
        self.assertEqual({kind: count for kind, count, _amount in groups}["invoice"], 4)

    def test_history_tab_on_the_customer(self):
        self.assertEqual(self.customer.operation_history_ids, self._history())
        self.assertFalse(self.ops_contact.operation_history_ids, "the history lives on the customer")
        action = self.ops_contact.action_view_operation_history()
        self.assertEqual(action["domain"], [("commercial_partner_id", "=", self.customer.id)])
        self.assertEqual(self.History.search(action["domain"]), self._history())
        # The web client's first page of the tab: every id, the first rows read.
        data = self.customer.web_read({"operation_history_ids": {"fields": {"reference": {}, "kind": {}}, "limit": 5}})
        rows = data[0]["operation_history_ids"]
        self.assertEqual(len(rows), 11)
        first_page = [row for row in rows if "reference" in row]
        self.assertEqual(len(first_page), 5)
        self.assertEqual(first_page[0]["reference"], self._history()[0].reference)

    def test_counts_on_customer_and_contact(self):
        for partner in (self.customer, self.ops_contact):
            with self.subTest(partner=partner.name):
                partner.invalidate_recordset()
                self.assertEqual(partner.customs_file_count, 2)
                # Every customer invoice and credit note, as in the list the button opens.
                self.assertEqual(partner.customer_invoice_count, 5)
                self.assertEqual(partner.customer_payment_count, 2)
        self.assertEqual(self.customer.sale_order_count, 3, "Odoo's own count, contacts included")
        action = self.ops_contact.action_view_customer_invoices()
        self.assertEqual(
            set(self.env["account.move"].search(action["domain"]).ids),
            {self.invoice.id, self.unpaid.id, self.partial.id, self.refund.id, self.cancelled.id},
        )
        self.assertEqual(
            self.env["customs.file"].search(self.customer.action_view_customs_files()["domain"]),
            self.file_import | self.file_export,
        )
        payments = self.env["account.payment"].search(self.customer.action_view_customer_payments()["domain"])
        self.assertEqual(payments, self.payment | self.partial_payment)
        self.assertEqual(
            self.env["sale.order"].search(self.customer.action_view_sale_order()["domain"]),
            self.order_pending | self.order_accepted | self.order_rejected,
        )


@tagged("post_install", "-at_install")
class TestOperationHistoryAccess(HistoryCase):
    def test_history_needs_view_permission(self):
        with self.assertRaises(AccessError):
            self.History.with_user(self.user_plain).search([])

    def test_rows_follow_access_to_the_documents(self):
        # No sales or invoicing rights: customs files only, and counts of 0.
        rows = self._history(user=self.user_view)
        self.assertEqual(set(rows.mapped("kind")), {"customs_file"})
        customer = self.customer.with_user(self.user_view)
        self.assertEqual((customer.customs_file_count, customer.customer_invoice_count), (2, 0))
        # A hidden row cannot be read by id either.
        invoice_row = self._row(self.invoice)
        self.env.invalidate_all()  # as in a new request
        self.assertFalse(invoice_row.with_user(self.user_view).exists())
        self.assertFalse(invoice_row.with_user(self.user_view).read(["reference"]))
        # Salesman ("own documents only") with invoicing rights: quotations
        # of other salesmen are hidden, invoices shown.
        self.order_pending.user_id = self.user_manager
        self.order_accepted.user_id = self.env.user
        self.order_rejected.user_id = False
        rows = self._history(user=self.user_manager)
        quotations = rows.filtered(lambda r: r.kind == "quotation")
        self.assertEqual(set(quotations.mapped("res_id")), {self.order_pending.id, self.order_rejected.id})
        self.assertEqual(len(rows.filtered(lambda r: r.kind == "invoice")), 4)
        self.assertEqual(self.customer.with_user(self.user_manager).sale_order_count, 2)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Otra Agencia"})
        other_file = self._file(company_id=other_company.id)
        both = self.env.company | other_company
        self.user_manager.company_ids = [Command.set(both.ids)]
        History = self.env["customs.operation.history"].with_user(self.user_manager)
        domain = [("commercial_partner_id", "=", self.customer.id), ("kind", "=", "customs_file")]
        # Only the companies selected in the company switcher...
        main_only = History.with_context(allowed_company_ids=self.env.company.ids).search(domain)
        self.assertNotIn(other_file.id, main_only.mapped("res_id"))
        self.assertEqual(len(main_only), 2)
        self.assertIn(other_file.id, History.with_context(allowed_company_ids=both.ids).search(domain).mapped("res_id"))
        # ... among those the user works in.
        self.user_manager.company_ids = [Command.set(self.env.company.ids)]
        self.assertNotIn(other_file.id, History.search(domain).mapped("res_id"))


@tagged("post_install", "-at_install")
class TestOperationCountsQueries(HistoryCase):
    def test_counts_query_count_is_constant(self):
        """The form's counts cost the same number of queries with 0 and with
        500 documents, and for 1 or 20 customers, as a normal user. (Odoo's
        sale_order_count walks the contact tree one level per query: both
        customers have one level of contacts.)"""
        empty = self._create_customer(name="Vacío", vat="20603456786", email="vacio@example.pe")
        busy = self._create_customer(name="Ocupado", vat="20100070970", email="ocupado@example.pe")
        contact, _empty_contact = self.env["res.partner"].create(
            [{"name": "Contacto", "parent_id": busy.id}, {"name": "Contacto", "parent_id": empty.id}]
        )
        self.env["customs.file"].create([{"partner_id": busy.id} for _i in range(150)])
        # No salesman: visible to the salesman ("own documents") who opens the form.
        self.env["sale.order"].create(
            [{"partner_id": p.id, "user_id": False} for p in (busy, contact) for _i in range(100)]
        )
        self.env["account.move"].create(
            [{"move_type": "out_invoice", "partner_id": p.id} for p in (busy, contact) for _i in range(75)]
        )
        payments = self.env["account.payment"].create(
            [{"partner_id": contact.id, "partner_type": "customer", "amount": 10} for _i in range(350)]
        )
        self.assertEqual(len(payments), 350)
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
        spec = {
            "display_name": {},
            "customs_file_count": {},
            "sale_order_count": {},
            "customer_invoice_count": {},
            "customer_payment_count": {},
        }

        def open_form(partners):
            partners.invalidate_recordset()
            partners.env.invalidate_all()
            return partners.web_read(spec)

        manager = self.user_manager
        open_form(busy.with_user(manager))  # warm the access caches
        with self.assertQueryCount(11):
            open_form(empty.with_user(manager))
        with self.assertQueryCount(11):
            data = open_form(busy.with_user(manager))
        self.assertEqual(
            (
                data[0]["customs_file_count"],
                data[0]["sale_order_count"],
                data[0]["customer_invoice_count"],
                data[0]["customer_payment_count"],
            ),
            (150, 200, 150, 350),
        )
        with self.assertQueryCount(11):
            open_form((empty | busy | self.customer | others).with_user(manager))

        # assertQueryCount only fails above the figure: check equality too.
        def queries(partners):
            start = self.cr.sql_log_count
            open_form(partners.with_user(manager))
            return self.cr.sql_log_count - start

        figures = [queries(partners) for partners in (empty, busy, empty | busy | self.customer | others)]
        self.assertEqual(figures, [figures[0]] * 3)
