import ast

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import DetractionCase


@tagged("post_install", "-at_install")
class TestDetractionDeposit(DetractionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, login="detr_deposit", groups="account.group_account_invoice,base.group_partner_manager"
        )

    def _record(self, move, number="123456789", amount=1_416, date="2026-11-20", lang="en_US"):
        action = move.with_user(self.accountant).action_open_detraction_deposit()
        Wizard = self.env[action["res_model"]].with_user(self.accountant)
        wizard = Form(Wizard.with_context(**action["context"], lang=lang))
        wizard.number = number
        wizard.date = date
        wizard.amount = amount
        return wizard.save().action_confirm()

    def test_deposit_recorded_settles_the_detraction_part(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        self._record(move)
        self.assertEqual(move.detraction_state, "deposited")
        self.assertEqual(move.detraction_deposit_number, "123456789")
        self.assertEqual(str(move.detraction_deposit_date), "2026-11-20")
        payment = move.detraction_payment_id
        self.assertEqual(payment.journal_id, self.company.detraction_journal_id)
        self.assertAlmostEqual(payment.amount, 1_416)
        self.assertEqual(move._get_reconciled_payments(), payment)
        self.assertEqual(move.payment_state, "partial")
        self.assertAlmostEqual(move.amount_residual, 10_384)
        self.assertIn("123456789", move.message_ids[0].body)

    def test_mismatched_amount_refused_in_spanish(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        with self.assertRaises(ValidationError) as caught:
            self._record(move, amount=1_415, lang="es_PE")
        self.assertIn("no coincide", str(caught.exception))
        with self.assertRaises(ValidationError):
            self._record(move, amount=1_415)
        self.assertEqual(move.detraction_state, "pending")
        self.assertFalse(move.detraction_payment_id)

    def test_twice_refused(self):
        move = self._invoice(self.flagged, [(self.consulting, 10_000)])
        self._record(move)
        with self.assertRaises(UserError):
            move.with_user(self.accountant)._record_detraction_deposit("999", "2026-11-21", 1_416)
        self.assertEqual(move.detraction_deposit_number, "123456789")
        self.assertEqual(len(move._get_reconciled_payments()), 1)

    def test_not_subject_refused(self):
        move = self._invoice(self.unflagged, [(self.plain, 50_000)])
        with self.assertRaises(UserError):
            move._record_detraction_deposit("1", "2026-11-21", 0)

    def test_pending_count_and_list(self):
        first = self._invoice(self.flagged, [(self.consulting, 10_000)])
        self._invoice(self.flagged, [(self.consulting, 5_000)], date="2026-10-05")
        self._invoice(self.flagged, [(self.consulting, 100)])  # below the threshold
        contact = (
            self.env["res.partner"].sudo().create({"name": "Contabilidad", "parent_id": self.flagged.id}).sudo(False)
        )
        partners = self.flagged | contact
        partners.invalidate_recordset(["detraction_pending_count"])
        with self.assertQueryCount(1):
            self.assertEqual(partners.mapped("detraction_pending_count"), [2, 2])
        self._record(first)
        partners.invalidate_recordset(["detraction_pending_count"])
        self.assertEqual(self.flagged.detraction_pending_count, 1)
        action = self.flagged.action_view_pending_detractions()
        moves = self.env["account.move"].search(action["domain"] + [("detraction_state", "=", "pending")])
        self.assertEqual(len(moves), 1)
        overdue = self.env["account.move"].search(
            [("detraction_state", "=", "pending"), ("detraction_due_date", "<", "2026-12-01")]
        )
        self.assertEqual(len(overdue & moves), 1, "the October invoice was due on 2026-11-06")

    def test_detractions_list_opens_for_an_accountant(self):
        self._invoice(self.flagged, [(self.consulting, 10_000)])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "clientes_aduanas_detraccion.account_move_detraction_action"
        )
        Move = self.env["account.move"].with_user(self.accountant)
        view = self.env.ref("clientes_aduanas_detraccion.account_move_view_list_detraction")
        spec = {name: {} for name in ("name", "invoice_date", "detraction_amount", "detraction_state")}
        result = Move.web_search_read(
            ast.literal_eval(action["domain"]) + [("commercial_partner_id", "=", self.flagged.id)], spec
        )
        self.assertEqual(result["length"], 1)
        self.assertEqual(result["records"][0]["detraction_amount"], 1_416)
        self.assertTrue(Move.get_views([(view.id, "list")])["views"]["list"]["arch"])
