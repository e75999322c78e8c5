from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import document_number as dn
from .common import ClientesAduanasCase


def _ruc(body):
    return body + dn.pe_ruc.calc_check_digit(body)


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
