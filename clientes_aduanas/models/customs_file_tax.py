from odoo import api, fields, models


class CustomsFileTax(models.Model):
    """One tax or charge of a declaration, in the local currency. Its base
    and amount are computed by the file (tools/customs_tax.py) from the tax
    type's rule and this line's rate or fixed amount."""

    _name = "customs.file.tax"
    _description = "Customs File Tax"
    _order = "file_id, sequence, id"

    file_id = fields.Many2one("customs.file", string="Customs File", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    tax_type_id = fields.Many2one("customs.tax.type", string="Tax", required=True, ondelete="restrict")
    sequence = fields.Integer(related="tax_type_id.sequence", store=True)
    amount_type = fields.Selection(related="tax_type_id.amount_type")
    rate = fields.Float(digits=(16, 4), help="Rate (%) of a percentage tax.")
    fixed_amount = fields.Monetary(currency_field="currency_id", help="Amount of a fixed charge.")
    currency_id = fields.Many2one(related="file_id.company_currency_id", string="Local Currency")
    base_amount = fields.Monetary(string="Base", currency_field="currency_id", compute="_compute_amounts", store=True)
    amount = fields.Monetary(currency_field="currency_id", compute="_compute_amounts", store=True)

    _sql_constraints = [
        ("tax_file_uniq", "unique(file_id, tax_type_id)", "A tax appears only once in a declaration."),
    ]

    @api.depends(
        "rate",
        "fixed_amount",
        "tax_type_id",
        "file_id.tax_line_ids.rate",
        "file_id.tax_line_ids.fixed_amount",
        "file_id.goods_line_ids.fob_amount",
        "file_id.goods_line_ids.duty_rate",
        "file_id.freight_amount",
        "file_id.insurance_amount",
        "file_id.exchange_rate",
    )
    def _compute_amounts(self):
        for customs_file in self.file_id:
            results = customs_file._tax_breakdown()
            for line in self.filtered(lambda t, f=customs_file: t.file_id == f):
                line.base_amount, line.amount = results.get(line.tax_type_id.id, (0.0, 0.0))
        for line in self.filtered(lambda t: not t.file_id):
            line.base_amount = line.amount = 0.0

    @api.model_create_multi
    def create(self, vals_list):
        # The type's default rate or amount, when the caller gives none.
        for vals in vals_list:
            tax_type = self.env["customs.tax.type"].browse(vals.get("tax_type_id"))
            if tax_type:
                vals.setdefault("rate", tax_type.rate)
                vals.setdefault("fixed_amount", tax_type.fixed_amount)
        return super().create(vals_list)

    @api.onchange("tax_type_id")
    def _onchange_tax_type_id(self):
        if self.tax_type_id:
            self.rate = self.tax_type_id.rate
            self.fixed_amount = self.tax_type_id.fixed_amount
