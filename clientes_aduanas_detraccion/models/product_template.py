from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    detraction_code_id = fields.Many2one(
        "detraction.code",
        string="SPOT Code",
        tracking=True,
        help="SUNAT's detracción code of this good or service. Invoices with such lines above the "
        "threshold are subject to SPOT, whether the customer requests it or not.",
    )
