from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.constrains("partner_id")
    def _check_partner_usable_for_operations(self):
        # Only new or re-assigned orders are checked: confirmed history of a
        # customer suspended later stays untouched.
        self.partner_id._check_can_be_used_in_operation()
