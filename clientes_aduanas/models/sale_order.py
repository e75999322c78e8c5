from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.constrains("partner_id")
    def _check_partner_usable_for_operations(self):
        # Only new or re-assigned orders are checked: the history of a
        # customer suspended later stays untouched.
        for company in self.company_id:
            orders = self.filtered(lambda o, company=company: o.company_id == company)
            orders.partner_id._check_can_be_used_in_operation(company=company)

    @api.constrains("partner_id")
    def _check_customs_files_customer(self):
        # A linked quotation given to another customer would show on the
        # first customer's portal.
        self.env["customs.file"]._check_documents_linked_to_files("sale_order_ids", self)

    def action_confirm(self):
        # A quotation drafted before the customer was suspended is still a
        # new operation when it is confirmed.
        for order in self:
            order.partner_id._check_can_be_used_in_operation(company=order.company_id)
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
        return self.partner_id._sunat_operation_warning(company=self.company_id)
