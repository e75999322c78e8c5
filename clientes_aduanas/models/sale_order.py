from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.constrains("partner_id")
    def _check_partner_usable_for_operations(self):
        # Only new or re-assigned orders are checked: the history of a
        # customer suspended later stays untouched.
        self.partner_id._check_can_be_used_in_operation()

    def action_confirm(self):
        # A quotation drafted before the customer was suspended is still a
        # new operation when it is confirmed.
        for order in self:
            order.partner_id._check_can_be_used_in_operation()
        return super().action_confirm()

    # ------------------------------------------------------------------
    # Company setting "require registered customer" (issue 4)
    # ------------------------------------------------------------------
    @api.constrains("partner_id", "company_id")
    def _check_registered_customer_required(self):
        for order in self:
            order.partner_id._check_registered_customer_required(order.company_id, "quote")

    # A quotation for a customer observed by SUNAT: warned here; refused (company
    # setting) by res.partner._check_can_be_used_in_operation.
    @api.onchange("partner_id")
    def _onchange_partner_id_sunat_warning(self):
        return self.partner_id._sunat_operation_warning()
