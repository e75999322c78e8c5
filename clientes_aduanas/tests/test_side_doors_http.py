from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .portal_common import make_customer, make_portal_user, setup_portal_data


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestSideDoorsHttp(HttpCase):
    """The side doors as a hostile portal user tries them over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_portal_data(cls)
        cls.owner_customer = make_customer(cls.env, 10005)
        cls.portal_owner = make_portal_user(cls.env, cls.owner_customer, "portal_owner_http")

    def test_portal_page_never_shows_another_customers_documents(self):
        order_a, order_b = self.env["sale.order"].create(
            [{"partner_id": self.contact_a.id}, {"partner_id": self.customer_b.id}]
        )
        (order_a | order_b).action_quotation_sent()
        invoice_a, invoice_b = self.env["account.move"].create(
            [
                {"move_type": "out_invoice", "partner_id": self.customer_a.id},
                {"move_type": "out_invoice", "partner_id": self.customer_b.id},
            ]
        )
        self.file_a1.write({"sale_order_ids": [(4, order_a.id)], "invoice_ids": [(4, invoice_a.id)]})
        # Stored past the constraint: legacy data, or a bypass by SQL.
        self.env.cr.execute(
            "UPDATE account_move SET state = 'posted', name = 'F001-' || id WHERE id IN %s",
            [(invoice_a.id, invoice_b.id)],
        )
        self.env.cr.execute(
            "INSERT INTO customs_file_sale_order_rel (customs_file_id, sale_order_id) VALUES (%s, %s)",
            [self.file_a1.id, order_b.id],
        )
        self.env.cr.execute(
            "INSERT INTO customs_file_account_move_rel (customs_file_id, move_id) VALUES (%s, %s)",
            [self.file_a1.id, invoice_b.id],
        )
        self.env.invalidate_all()
        self.assertIn(order_b, self.file_a1.sale_order_ids)
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/expedientes/{self.file_a1.id}", allow_redirects=False).text
        self.assertIn(f"/my/orders/{order_a.id}?access_token=", page, "its own quotation is listed")
        self.assertIn(f"/my/invoices/{invoice_a.id}?access_token=", page, "its own invoice is listed")
        self.assertNotIn(f"/my/orders/{order_b.id}", page)
        self.assertNotIn(f"/my/invoices/{invoice_b.id}", page)
        self.assertNotIn(order_b.name, page)
        self.assertNotIn(f"F001-{invoice_b.id}", page)
        if order_b.access_token:
            self.assertNotIn(order_b.access_token, page)

    def test_json_rpc_self_write_of_the_customer_is_refused(self):
        self.authenticate("portal_owner_http", "portal_owner_http")
        for vals in ({"name": "X"}, {"email": "otro@ejemplo.pe"}, {"phone": "+51 1 7778888"}):
            with self.subTest(vals=vals), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/res.users/write",
                    {
                        "model": "res.users",
                        "method": "write",
                        "args": [[self.portal_owner.id], vals],
                        "kwargs": {},
                    },
                )
        self.owner_customer.invalidate_recordset()
        self.assertEqual(self.owner_customer.name, "Portal Cliente 10005 S.A.C.")
        self.assertEqual(self.owner_customer.email, "cliente10005@portal.example.pe")
        self.assertEqual(self.owner_customer.phone, "+51 1 4445555")
