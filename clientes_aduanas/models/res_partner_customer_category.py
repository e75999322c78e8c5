from odoo import fields, models


class ResPartnerCustomerCategory(models.Model):
    _name = "res.partner.customer.category"
    _description = "Customer Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used in imports and reports, e.g. PRO.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The category code must be unique."),
    ]
