from odoo import fields, models


class CustomerSuspendWizard(models.TransientModel):
    _name = "customer.suspend.wizard"
    _description = "Suspend Customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    reason = fields.Char(required=True, help="Why the customer is suspended; kept in its chatter.")

    def action_confirm(self):
        self.ensure_one()
        self.partner_ids._suspend(self.reason)
        return {"type": "ir.actions.act_window_close"}
