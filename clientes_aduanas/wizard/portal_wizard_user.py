from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        # Opening the portal to a suspended customer's people would start
        # something new for it.
        self.partner_id._check_can_be_used_in_operation()
        return super().action_grant_access()
