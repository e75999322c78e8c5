from odoo import api, models

from .res_partner import is_bookkeeping


class ResPartnerBank(models.Model):
    """A registered customer's bank accounts are its master data."""

    _inherit = "res.partner.bank"

    def _customer_partners(self, vals=None):
        partners = self.sudo().with_context(active_test=False).partner_id
        if vals and vals.get("partner_id"):
            partners |= self.env["res.partner"].sudo().browse(vals["partner_id"])
        return self.env["res.partner"].browse(partners.ids)

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        # On the created accounts: the partner may come from a default.
        accounts._customer_partners()._customer_check_dependent_change()
        return accounts

    def write(self, vals):
        if any(not is_bookkeeping(name) for name in vals):
            self._customer_partners(vals)._customer_check_dependent_change()
        return super().write(vals)

    def unlink(self):
        self._customer_partners()._customer_check_dependent_change()
        return super().unlink()
