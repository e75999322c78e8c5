from odoo import models

from ..models.res_partner import LIFECYCLE


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

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
