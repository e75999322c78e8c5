from odoo import api, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.constrains("partner_id")
    def _check_partner_usable_for_operations(self):
        # Only new or re-assigned orders are checked: the history of a
        # customer suspended later stays untouched.
        self.partner_id._check_can_be_used_in_operation()
        for order in self:
            if (
                order.company_id.require_registered_customer
                and not order.partner_id.commercial_partner_id.is_registered_customer
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a registered customer; this company only quotes to registered customers.",
                        name=order.partner_id.display_name,
                    )
                )
