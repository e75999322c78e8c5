from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DetractionCase


@tagged("post_install", "-at_install")
class TestDetractionInvoice(DetractionCase):
    def assertDetraction(self, move, code, rate, amount, net):
        self.assertTrue(move.detraction_applies)
        self.assertEqual(move.detraction_code_id.code, code)
        self.assertEqual(move.detraction_rate, rate)
        self.assertEqual(move.detraction_currency_id, self.pen)
        self.assertAlmostEqual(move.detraction_amount, amount, places=2)
        self.assertAlmostEqual(move.detraction_net_amount, net, places=2)

    def assertNoDetraction(self, move):
        self.assertFalse(move.detraction_applies)
        self.assertFalse(move.detraction_code_id)
        self.assertFalse(move.detraction_amount)
        self.assertFalse(move.detraction_state)

    def test_consulting_for_a_flagged_customer(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        self.assertAlmostEqual(move.amount_total, 11_800)
        self.assertDetraction(move, "022", 12, 1_416, 10_384)
        self.assertEqual(move.detraction_state, "pending")
        self.assertEqual(str(move.detraction_due_date), "2026-12-07")
        self.assertFalse(move.detraction_note)
        self.assertFalse(move.partner_bank_id, "the detracción account is not where the customer pays the net")

    def test_threshold_edges(self):
        exact = self._invoice(self.flagged, [(self.rental, 700)])
        self.assertNoDetraction(exact)
        self.assertIn("700.00", exact.detraction_note)
        above = self._invoice(self.flagged, [(self.rental, 700.01)])
        self.assertDetraction(above, "019", 10, 70, 630.01)

    def test_usd_invoice_converted_at_its_rate(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1 / 3.75)])
        # 200 USD at 3.75 is S/ 750: above S/ 700; 10 % is S/ 75, i.e. 20 USD.
        move = self._invoice(self.flagged, [(self.rental, 200)], currency=usd)
        self.assertDetraction(move, "019", 10, 75, 180)
        below = self._invoice(self.flagged, [(self.rental, 186)], currency=usd)  # S/ 697.50
        self.assertNoDetraction(below)

    def test_highest_rate_line_wins(self):
        move = self._invoice(self.unflagged, [(self.transport, 5_000), (self.rental, 1_000), (self.consulting, 500)])
        # 5,000 + 1,000 + 590 = 6,590; 12 % = 790.80 -> 791.
        self.assertDetraction(move, "022", 12, 791, 5_799)

    def test_transport_threshold_is_400(self):
        self.assertNoDetraction(self._invoice(self.unflagged, [(self.transport, 400)]))
        self.assertDetraction(self._invoice(self.unflagged, [(self.transport, 450)]), "027", 4, 18, 432)

    def test_rounding_to_whole_soles(self):
        self.assertDetraction(self._invoice(self.unflagged, [(self.transport, 25_012.25)]), "027", 4, 1_000, 24_012.25)
        self.assertDetraction(self._invoice(self.unflagged, [(self.transport, 25_012.50)]), "027", 4, 1_001, 24_011.50)

    def test_credit_notes_excluded(self):
        self.assertNoDetraction(self._invoice(self.flagged, [(self.consulting, 10_000)], move_type="out_refund"))

    def test_rate_change_by_validity_date(self):
        before = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2018-03-31")
        self.assertDetraction(before, "022", 10, 1_180, 10_620)
        after = self._invoice(self.flagged, [(self.consulting, 10_000)], date="2018-04-01")
        self.assertDetraction(after, "022", 12, 1_416, 10_384)

    def test_no_flag_and_no_code_is_nothing(self):
        move = self._invoice(self.unflagged, [(self.plain, 50_000)])
        self.assertNoDetraction(move)
        self.assertFalse(move.detraction_note)

    def test_flagged_without_code_takes_the_company_default(self):
        self.assertEqual(self.company.detraction_default_code_id.code, "037")
        self.assertDetraction(self._invoice(self.flagged, [(self.plain, 1_000)]), "037", 12, 120, 880)
        self.company.detraction_default_code_id = False
        move = self._invoice(self.flagged, [(self.plain, 1_000)])
        self.assertNoDetraction(move)
        self.assertTrue(move.detraction_note)

    def test_honduran_customer_with_the_flag_does_nothing(self):
        self.assertNoDetraction(self._invoice(self.honduran, [(self.plain, 50_000)]))

    def test_draft_invoice_shows_it_but_nothing_is_pending(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)], post=False)
        self.assertDetraction(move, "022", 12, 1_416, 10_384)
        self.assertFalse(move.detraction_state)

    def test_national_bank_with_or_without_l10n_pe(self):
        journal = self.company.detraction_journal_id
        self.assertEqual(journal.type, "bank")
        self.assertEqual(journal.bank_acc_number, "00-068-123456")
        l10n_pe_bank = self.env.ref("l10n_pe.peruvian_national_bank", raise_if_not_found=False)
        own_bank = self.env.ref("clientes_aduanas_detraccion.res_bank_banco_nacion", raise_if_not_found=False)
        if self.env["ir.module.module"]._get("l10n_pe").state == "installed":
            self.assertEqual(journal.bank_id, l10n_pe_bank)
            # l10n_pe installed after the addon adopts the addon's record.
            self.assertIn(own_bank, (l10n_pe_bank, None), "no second Banco de la Nación")
        else:
            self.assertEqual(journal.bank_id, own_bank)
            self.assertEqual(own_bank.bic, "BANCPEPL")
        self.assertEqual(self.env["res.bank"].search_count([("bic", "=", "BANCPEPL")]), 1)

    def test_user_without_accounting_rights_sees_no_detraction(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        user = new_test_user(
            self.env,
            login="detr_no_accounting",
            groups="base.group_user,clientes_aduanas.clientes_aduanas_group_view,sales_team.group_sale_salesman",
        )
        fields = self.env["account.move"].with_user(user).fields_get()
        self.assertFalse([name for name in fields if name.startswith("detraction_")])
        with self.assertRaises(AccessError):
            move.with_user(user).read(["detraction_amount"])
        self.assertNotIn("detraction_pending_count", self.env["res.partner"].with_user(user).fields_get())
        accountant = new_test_user(self.env, login="detr_accountant", groups="account.group_account_invoice")
        self.assertEqual(move.with_user(accountant).read(["detraction_amount"])[0]["detraction_amount"], 1_416)

    def test_pdf_legend(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        html, _type = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", move.ids)
        html = html.decode()
        self.assertIn("Operación sujeta al Sistema de Pago de Obligaciones Tributarias con el Gobierno Central", html)
        for text in ("022", "Otros servicios empresariales", "12", "1,416.00", "10,384.00", "00-068-123456"):
            self.assertIn(text, html)
        plain = self._invoice(self.unflagged, [(self.plain, 50_000)])
        html, _type = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", plain.ids)
        self.assertNotIn("Sistema de Pago de Obligaciones Tributarias", html.decode())

    def test_unticking_the_customer_keeps_issued_invoices(self):
        move = self._invoice(self.flagged, [(self.plain, 1_000)])
        self.assertDetraction(move, "037", 12, 120, 880)
        self.flagged.sudo().detraction_required = False
        self.env.flush_all()
        self.assertDetraction(move, "037", 12, 120, 880)
        self.assertEqual(move.detraction_state, "pending")
        self.assertNoDetraction(self._invoice(self.flagged, [(self.plain, 1_000)]))
