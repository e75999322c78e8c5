from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        if not self.env.su:
            # Before Odoo's own write, which turns a user's write of its own
            # name, e-mail... into a superuser write the customer rules skip.
            inherited = {
                name: value for name, value in vals.items() if getattr(self._fields.get(name), "inherited", False)
            }
            if inherited:
                self.partner_id._customer_check_user_write(inherited)
        return super().write(vals)

    @api.model
    def _signup_create_user(self, values):
        # An invitation link of a registered customer's own partner: Odoo
        # creates the user (as superuser) with the e-mail the invitee typed,
        # written on the partner. The customer keeps the e-mail it is
        # registered with; the login is the invitee's choice.
        partner = self.env["res.partner"].sudo().browse(values.get("partner_id") or [])
        if partner.is_registered_customer and partner.email:
            values = dict(values, email=partner.email)
        return super()._signup_create_user(values)
