from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.constrains("partner_id", "move_type")
    def _check_partner_usable_for_operations(self):
        self.filtered(lambda m: m.is_sale_document(include_receipts=True)).partner_id._check_can_be_used_in_operation()
