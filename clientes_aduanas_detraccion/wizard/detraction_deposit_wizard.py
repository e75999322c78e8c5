from odoo import fields, models
from odoo.tools import clean_context


class DetractionDepositWizard(models.TransientModel):
    _name = "detraction.deposit.wizard"
    _description = "Record Detraction Deposit"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.PEN"), readonly=True)
    expected_amount = fields.Monetary(related="move_id.detraction_amount", string="Detraction Amount")
    number = fields.Char(string="Certificate Number", required=True, help="Número de la constancia de depósito.")
    date = fields.Date(string="Deposit Date", required=True, default=fields.Date.context_today)
    amount = fields.Monetary(string="Deposited Amount", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.move_id.with_context(clean_context(self.env.context))._record_detraction_deposit(
            self.number, self.date, self.amount
        )
        return {"type": "ir.actions.act_window_close"}
