from decimal import Decimal

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..tools import detraction as spot
from .common import DetractionCase

TRANSPORT = spot.SpotRate("027", Decimal("4"), Decimal("400"), uses_reference_value=True)
SERVICES = spot.SpotRate("022", Decimal("12"))


@tagged("post_install", "-at_install")
class TestDetractionReferenceValue(DetractionCase):
    """Road transport of goods (027): the base is the greater of the invoice
    total and the trip's valor referencial (D.S. 010-2006-MTC)."""

    def test_rule_takes_the_greater(self):
        # Invoice above the reference value: the invoice.
        result = spot.compute_detraction(Decimal("5000"), [TRANSPORT], reference_value=Decimal("3000"))
        self.assertEqual((result.base, result.amount), (Decimal("5000"), Decimal("200")))
        # Reference value above the invoice: the reference value.
        result = spot.compute_detraction(Decimal("5000"), [TRANSPORT], reference_value=Decimal("8000"))
        self.assertEqual((result.base, result.amount), (Decimal("8000"), Decimal("320")))
        # Other codes ignore it.
        result = spot.compute_detraction(Decimal("5000"), [SERVICES], reference_value=Decimal("8000"))
        self.assertEqual((result.base, result.amount), (Decimal("5000"), Decimal("600")))

    def test_invoice_above_the_reference_value(self):
        move = self._invoice(self.unflagged, [(self.transport, 5_000)], post=False)
        self.assertTrue(move.detraction_uses_reference_value)
        move.detraction_reference_value = 3_000
        move.action_post()
        self.assertEqual(move.detraction_code_id.code, "027")
        self.assertAlmostEqual(move.detraction_amount, 200)
        self.assertAlmostEqual(move.detraction_net_amount, 4_800)

    def test_reference_value_above_the_invoice(self):
        move = self._invoice(self.unflagged, [(self.transport, 5_000)], post=False)
        with Form(move) as form:
            form.detraction_reference_value = 8_000
        move.action_post()
        # 4 % of S/ 8,000, deducted from the S/ 5,000 the customer owes.
        self.assertAlmostEqual(move.detraction_amount, 320)
        self.assertAlmostEqual(move.detraction_net_amount, 4_680)
        html, _type = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", move.ids)
        self.assertIn("Valor referencial", html.decode())

    def test_reference_value_above_the_threshold_of_a_small_invoice(self):
        move = self._invoice(self.unflagged, [(self.transport, 300)], post=False)
        self.assertFalse(move.detraction_applies)
        self.assertIn("300.00", move.detraction_note)
        move.detraction_reference_value = 450
        self.assertTrue(move.detraction_applies)
        self.assertAlmostEqual(move.detraction_amount, 18)
        move.detraction_reference_value = 390
        self.assertFalse(move.detraction_applies)
        self.assertIn("390.00", move.detraction_note)

    def test_other_codes_ignore_it_and_do_not_show_it(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)], post=False)
        self.assertFalse(move.detraction_uses_reference_value)
        move.detraction_reference_value = 50_000
        self.assertAlmostEqual(move.detraction_amount, 1_416)

    def test_no_change_once_posted(self):
        move = self._invoice(self.unflagged, [(self.transport, 5_000)])
        with self.assertRaises(UserError):
            move.detraction_reference_value = 8_000
        self.assertAlmostEqual(move.detraction_amount, 200)
        move.button_draft()
        move.detraction_reference_value = 8_000
        self.assertAlmostEqual(move.detraction_amount, 320)
