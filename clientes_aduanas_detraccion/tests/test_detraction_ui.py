from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DetractionCase


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestDetractionTour(DetractionCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="detr_tour",
            password="detr_tour",
            lang="es_PE",
            groups="account.group_account_invoice,clientes_aduanas.clientes_aduanas_group_view",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_accountant_invoices_and_records_the_deposit(self):
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type/new",
            "clientes_aduanas_detraccion_invoice",
            login="detr_tour",
        )
        move = self.env["account.move"].search(
            [("partner_id", "=", self.flagged.id), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(len(move), 1)
        self.assertEqual(
            (move.detraction_code_id.code, move.detraction_amount, move.detraction_net_amount, move.detraction_state),
            ("022", 1_416, 10_384, "deposited"),
        )
        self.assertEqual(move.detraction_deposit_number, "0012345678")
        self.assertEqual(move.payment_state, "partial")

    def test_portal_invoice_page_shows_the_legend(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        move._portal_ensure_token()
        response = self.url_open(f"/my/invoices/{move.id}?access_token={move.access_token}&report_type=html")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Operación sujeta al Sistema de Pago de Obligaciones Tributarias con el Gobierno Central", html)
        self.assertIn("1,416.00", html)
        self.assertIn("00-068-123456", html)
