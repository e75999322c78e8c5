from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_partner_ids(self, move, mail_template, mail_lang):
        partners = super()._get_default_mail_partner_ids(move, mail_template, mail_lang)
        customer = move.commercial_partner_id
        if customer.is_registered_customer and customer.billing_email:
            # Spec 004: invoices go to the billing e-mail when there is one.
            partners = (partners - move.partner_id - customer) | customer._get_billing_contact()
        return partners
