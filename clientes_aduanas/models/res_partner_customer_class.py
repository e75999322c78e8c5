from odoo import fields, models


class ResPartnerCustomerClass(models.Model):
    _name = "res.partner.customer.class"
    _description = "Customer Class"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used in imports and reports, e.g. EXTERNO.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_group_company = fields.Boolean(
        string="Group Company",
        help="The customer belongs to our own group of companies (spec: TITANIC SOFT).",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The class code must be unique."),
    ]
