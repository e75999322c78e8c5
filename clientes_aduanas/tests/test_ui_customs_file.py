from odoo import Command, fields
from odoo.tests import tagged

from .test_ui_customer import CustomerTourCase


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomsFileTours(CustomerTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the Customers groups: no Sales, no Invoicing.
        cls.agent = cls._user("ca_tour_agent", "view", "create", "edit")
        cls.customer = cls._customer(
            name="Importaciones Andinas del Sur S.A.C.",
            notification_emails="ops@andinas.example.pe",
            lang="es_PE",
        )
        product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 300})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 300, "tax_ids": []})],
            }
        )
        cls.invoice.action_post()
        cls.file = cls.env["customs.file"].create(
            {
                "partner_id": cls.customer.id,
                "operation_type": "import",
                "declaration_number": "118-2026-10-000777",
                "sale_order_ids": [Command.set(cls.order.ids)],
                "invoice_ids": [Command.set(cls.invoice.ids)],
            }
        )

    def test_agent_moves_file_on_kanban_and_reads_history(self):
        self.assertFalse(self.agent.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.agent.has_group("account.group_account_invoice"))
        self.start_tour("/odoo", "clientes_aduanas_customs_file_kanban", login="ca_tour_agent")
        self.assertEqual(self.file.state, "in_progress", "the confirmed move ran the workflow")
        mails = self.env["mail.mail"].search([("model", "=", "customs.file"), ("res_id", "=", self.file.id)])
        self.assertEqual(len(mails), 1, "one move, one e-mail to the customer (the cancelled move sent none)")
        self.assertIn("ops@andinas.example.pe", mails.email_to or "")
        self.assertEqual(self.file.sale_order_ids, self.order, "the links the agent cannot see are kept")
        self.assertEqual(self.file.invoice_ids, self.invoice)
