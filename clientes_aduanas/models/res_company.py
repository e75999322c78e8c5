from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    require_registered_customer = fields.Boolean(
        string="Require Registered Customer on Quotations and Invoices",
        help="Quotations and customer invoices can only be made for registered, active customers. "
        "Off by default so that installing the addon on a live database changes nothing.",
    )
