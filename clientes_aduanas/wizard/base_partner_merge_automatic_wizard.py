from odoo import api, models

from ..models.res_partner import LIFECYCLE


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _customer_check_merge(self, src_partners, dst_partner):
        """Merging moves by SQL what hangs from the merged partners (contacts,
        bank accounts, documents) and deletes the sources: into or from a
        registered customer (or a contact of one) it needs the customer
        permissions of the user, checked before anything moves."""
        partners = self.env["res.partner"].browse((src_partners | dst_partner).ids)
        partners._customer_check_dependent_change()
        sources = self.env["res.partner"].browse(src_partners.sudo().filtered("is_registered_customer").ids)
        if sources:
            sources._check_customer_permission("unlink")

    @api.model
    def _merge_bank_accounts(self, src_partners, dst_partner):
        # The first step of Odoo's merge that moves anything.
        self._customer_check_merge(src_partners, dst_partner)
        return super()._merge_bank_accounts(src_partners, dst_partner)

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        self._customer_check_merge(src_partners, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)

    def _update_values(self, src_partners, dst_partner):
        # The source customers are deleted right after this write: their keys
        # must not make the destination a duplicate of them meanwhile.
        registered = src_partners.filtered("is_registered_customer")
        if registered:
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE res_partner SET customer_email_key = NULL, customer_vat_key = NULL WHERE id IN %s",
                [tuple(registered.ids)],
            )
            registered.invalidate_recordset(["customer_email_key", "customer_vat_key"])
        # The destination keeps its own state: suspension data are not merged.
        return super()._update_values(src_partners, dst_partner.with_context(customer_merge=LIFECYCLE))
