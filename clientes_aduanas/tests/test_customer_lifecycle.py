"""Who may change a registered customer, the one writer of its state, and
what a suspended customer can no longer do (at the depth where it happens)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ClientesAduanasCase, _ruc


@tagged("post_install", "-at_install")
class TestCustomerStateWriter(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Estado S.A.C.")
        cls.other = cls._create_customer(name="Otro Estado S.A.C.", vat=_ruc("2066000001"), email="otro@x.pe")

    def test_state_write_goes_through_suspend(self):
        """Reproduction: write customer_state suspended left the customer
        active and findable."""
        with self.assertRaises(UserError) as ctx:
            self.customer.write({"customer_state": "suspended"})
        self.assertIn("Say why", str(ctx.exception))
        self.customer.write({"customer_state": "suspended", "suspension_reason": "Deuda"})
        self.assertEqual((self.customer.customer_state, self.customer.active), ("suspended", False))
        self.assertEqual(self.customer.suspension_reason, "Deuda")
        self.assertFalse(self.env["res.partner"].search([("id", "=", self.customer.id)]))
        self.customer.write({"customer_state": "active"})
        self.assertEqual((self.customer.customer_state, self.customer.active), ("active", True))
        self.assertFalse(self.customer.suspension_reason)

    def test_mass_edit_of_the_state(self):
        customers = self.customer | self.other
        customers.write({"customer_state": "suspended", "suspension_reason": "Cierre"})
        self.assertEqual(customers.mapped("active"), [False, False])
        self.assertEqual(len(customers.message_ids.filtered(lambda m: "Cierre" in (m.body or ""))), 2)
        with self.assertRaises(AccessError):
            customers.with_user(self.user_view).write({"customer_state": "active"})

    def test_archive_and_unarchive(self):
        self.customer.action_archive()
        self.assertEqual(self.customer.customer_state, "suspended")
        self.assertIn("Archived by", self.customer.suspension_reason)
        self.customer.action_unarchive()
        self.assertEqual((self.customer.customer_state, self.customer.active), ("active", True))
        ordinary = self.env["res.partner"].create({"name": "Ordinario"})
        (ordinary | self.other).action_archive()
        self.assertFalse(ordinary.active)
        self.assertEqual(self.other.customer_state, "suspended")

    def test_a_new_customer_starts_active(self):
        with self.assertRaises(UserError):
            self._create_customer(name="Nace", vat=_ruc("2066000002"), email="n@x.pe", customer_state="suspended")


@tagged("post_install", "-at_install")
class TestSuspendedCustomerOperations(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Suspendido S.A.C.")
        cls.product = cls.env["product.product"].create(
            {"name": "Agenciamiento", "type": "service", "invoice_policy": "order", "list_price": 100}
        )

    def _invoice(self, move_type="out_invoice"):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 100})],
            }
        )

    def _order(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )

    def test_draft_quotation_cannot_be_confirmed(self):
        order = self._order()
        self.customer._suspend("Deuda")
        with self.assertRaises(UserError) as ctx:
            order.action_confirm()
        self.assertIn("Suspendido S.A.C. is suspended", str(ctx.exception))
        self.assertIn("Reactivate it", str(ctx.exception))
        order.action_cancel()
        self.assertEqual(order.state, "cancel")

    def test_customs_file_plain_write_and_kanban_drag(self):
        record = self.env["customs.file"].create({"partner_id": self.customer.id, "operation_type": "import"})
        self.customer._suspend("Deuda")
        with self.assertRaises(UserError):
            record.write({"state": "in_progress"})
        with self.assertRaises(UserError):
            record.action_start()
        record.write({"state": "cancelled"})
        self.assertEqual(record.state, "cancelled")

    def test_invoices_new_ones_refused_closing_out_allowed(self):
        posted = self._invoice()
        posted.action_post()
        draft = self._invoice()
        order = self._order()
        order.action_confirm()
        self.customer._suspend("Deuda")
        with self.assertRaises(UserError):
            draft.action_post()
        draft.button_cancel()
        self.assertEqual(draft.state, "cancel")
        refund = posted._reverse_moves()
        refund.action_post()
        self.assertEqual(refund.state, "posted")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")


@tagged("post_install", "-at_install")
class TestCustomerLifecycle(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Lifecycle S.A.C.")
        cls.contact = cls.env["res.partner"].create({"name": "Contact", "parent_id": cls.customer.id})
        cls.product = cls.env["product.product"].create({"name": "Customs brokerage", "list_price": 100})

    def test_suspend_hides_and_blocks_new_documents(self):
        wizard = Form(self.env["customer.suspend.wizard"].with_context(default_partner_ids=self.customer.ids))
        wizard.reason = "Facturas impagas"
        wizard.save().action_confirm()
        self.assertEqual(self.customer.customer_state, "suspended")
        self.assertFalse(self.customer.active)
        self.assertEqual(self.customer.suspension_reason, "Facturas impagas")
        self.assertEqual(self.customer.suspended_by_id, self.env.user)
        self.assertNotIn(self.customer, self.env["res.partner"].search([("name", "ilike", "Lifecycle")]))
        self.assertNotIn(self.customer.id, [i for i, _n in self.env["res.partner"].name_search("Lifecycle")])
        messages = self.customer.with_context(active_test=False).message_ids.mapped("body")
        self.assertTrue(any("Facturas impagas" in body for body in messages))
        # Even when the id is passed straight (RPC, import) — also through a contact.
        for partner in (self.customer, self.contact):
            with self.subTest(partner=partner.name):
                with self.assertRaises(UserError) as ctx:
                    self.env["sale.order"].create({"partner_id": partner.id})
                self.assertIn("suspended", str(ctx.exception))
                with self.assertRaises(UserError):
                    self.env["account.move"].create({"move_type": "out_invoice", "partner_id": partner.id})

    def test_reactivate(self):
        self.customer._suspend("Temporal")
        self.customer.action_reactivate()
        self.assertTrue(self.customer.active)
        self.assertEqual(self.customer.customer_state, "active")
        self.assertFalse(self.customer.suspension_reason)
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.partner_id, self.customer)

    def test_history_survives_suspension(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.customer._suspend("Cierre")
        order.note = "still editable"
        self.assertEqual(order.partner_id, self.customer)

    def test_delete_without_history(self):
        customer = self._create_customer(vat=_ruc("2080000001"), email="delete@example.pe")
        customer.unlink()
        self.assertFalse(customer.exists())

    def test_delete_refused_with_each_kind_of_history(self):
        makers = {
            "quotations": lambda p: self.env["sale.order"].create({"partner_id": p.id}),
            "invoices": lambda p: self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": p.id,
                    "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 10})],
                }
            ),
            "payments": lambda p: self.env["account.payment"].create(
                {"partner_id": p.id, "amount": 50, "payment_type": "inbound", "partner_type": "customer"}
            ),
        }
        for index, (label, make) in enumerate(makers.items()):
            with self.subTest(history=label):
                customer = self._create_customer(vat=_ruc(f"208000010{index}"), email=f"h{index}@example.pe")
                contact = self.env["res.partner"].create({"name": "Child", "parent_id": customer.id})
                make(contact)  # documents of a contact belong to the customer
                with self.assertRaises(UserError) as ctx:
                    customer.unlink()
                self.assertIn(label, str(ctx.exception))
                self.assertIn("Suspend", str(ctx.exception))
                self.assertTrue(customer.exists())


@tagged("post_install", "-at_install")
class TestCustomerDelete(ClientesAduanasCase):
    """Spec 004: "Eliminar: solo disponible si no tiene expedientes,
    cotizaciones ni facturas"; spec 000: suspend instead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Borrable S.A.C.")
        cls.contact = cls.env["res.partner"].create({"name": "Contacto Uno", "parent_id": cls.customer.id})
        cls.idle_contact = cls.env["res.partner"].create({"name": "Contacto Dos", "parent_id": cls.customer.id})

    def test_customs_file_of_a_contact_blocks_the_customer(self):
        self.env["customs.file"].create({"partner_id": self.contact.id, "operation_type": "import"})
        with self.assertRaises(UserError) as ctx:
            self.customer.unlink()
        message = str(ctx.exception)
        self.assertIn("Borrable S.A.C. cannot be deleted because it has 1 customs files", message)
        self.assertIn("Suspend the customer instead", message)
        self.assertTrue(self.customer.exists())

    def test_message_lists_every_kind_of_history(self):
        product = self.env["product.product"].create({"name": "Agenciamiento", "list_price": 10})
        self.env["sale.order"].create({"partner_id": self.customer.id})
        self.env["sale.order"].create({"partner_id": self.contact.id})
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 10})],
            }
        )
        self.env["customs.file"].create({"partner_id": self.customer.id, "operation_type": "export"})
        with self.assertRaises(UserError) as ctx:
            self.customer.unlink()
        self.assertIn("2 quotations/sale orders, 1 invoices, 1 customs files", str(ctx.exception))

    def test_suspended_customer_keeps_the_protection(self):
        self.env["sale.order"].create({"partner_id": self.customer.id})
        self.customer._suspend("Cierre")
        with self.assertRaises(UserError):
            self.customer.unlink()

    def test_contacts(self):
        self.env["sale.order"].create({"partner_id": self.contact.id})
        # A contact without documents of its own can go, even though the
        # customer has history...
        self.idle_contact.unlink()
        self.assertFalse(self.idle_contact.exists())
        # ...one with documents cannot.
        with self.assertRaises(UserError) as ctx:
            self.contact.unlink()
        self.assertIn("Contact Borrable S.A.C., Contacto Uno cannot be deleted", str(ctx.exception))

    def test_customer_without_history_and_its_contacts_are_deleted(self):
        customer = self._create_customer(name="Sin Historia", vat=_ruc("2081000001"), email="sh@example.pe")
        self.env["res.partner"].create({"name": "C", "parent_id": customer.id})
        customer.unlink()
        self.assertFalse(customer.exists())

    def test_ordinary_partners_are_not_governed(self):
        ordinary = self.env["res.partner"].create({"name": "Ordinary"})
        self.env["sale.order"].create({"partner_id": ordinary.id})
        # Odoo's own rules apply to them (the database refuses), not ours.
        self.assertIsNone(ordinary._unlink_except_customer_with_operations())

    def test_history_check_does_not_grow_with_the_number_of_customers(self):
        others = self.env["res.partner"]
        for i in range(5):
            others |= self._create_customer(name=f"Otro {i}", vat=_ruc(f"208100001{i}"), email=f"o{i}@example.pe")
            self.env["res.partner"].create({"name": f"Contacto {i}", "parent_id": others[-1].id})
        self.env["sale.order"].create({"partner_id": self.contact.id})

        def queries(partners):
            partners._customer_operation_counts()  # warm the caches
            start = self.cr.sql_log_count
            counts = partners._customer_operation_counts()
            return self.cr.sql_log_count - start, counts

        one, _counts = queries(self.customer)
        six, counts = queries(self.customer | others)
        self.assertEqual(one, six)
        self.assertEqual(counts, {self.customer.id: {"quotations/sale orders": 1}})
