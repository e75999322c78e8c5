# One concern per file (the house rule for a big model), hence a second class.
# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.exceptions import AccessError

from .res_partner import CUSTOMER_MASTER_FIELDS


class ResPartner(models.Model):
    """The customer portal's account page (/my/account) and the customer rules."""

    _inherit = "res.partner"

    def can_edit_vat(self):
        # The document of a registered customer is master data: the portal
        # shows it (and the country it is checked against) read-only.
        if self.env.context.get("customer_portal_invoice_check"):
            return super().can_edit_vat()
        return super().can_edit_vat() and not self.is_registered_customer

    def _portal_refused_master_data_changes(self, vals):
        """Master-data fields that ``vals`` would change on this partner and
        that the current user may not change: Odoo's portal writes the
        account page with sudo, so the customers' edit permission is checked
        here for the user behind the request."""
        self.ensure_one()
        if not self.is_registered_customer:
            # A customer's contact edits its own details, as everywhere in Odoo.
            return []
        changed = [
            name for name in CUSTOMER_MASTER_FIELDS.intersection(vals) if self._changes_master_data({name: vals[name]})
        ]
        if changed:
            try:
                # The request's partner comes sudo-ed (env.user is): the
                # permission is the user's own, not the superuser's.
                self.with_env(self.env(su=False))._check_customer_permission("write")
            except AccessError:
                return changed
        return []

    def _portal_unchanged_master_data(self, vals):
        self.ensure_one()
        if not self.is_registered_customer:
            return []
        return [
            name
            for name in CUSTOMER_MASTER_FIELDS.intersection(vals)
            if not self._changes_master_data({name: vals[name]})
        ]
