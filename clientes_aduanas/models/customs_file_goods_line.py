import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# SAC (Sistema Arancelario Centroamericano): 8 digits (chapter, heading,
# subheading, SAC subdivision), 10 with the national opening; Peru's
# Arancel de Aduanas uses 10 digits. Written 8471.30.00(.00).
_TARIFF_DIGITS = re.compile(r"^\d{8}(\d{2})?$")
_TARIFF_SEPARATORS = re.compile(r"[\s\.\-]+")


def normalize_tariff_code(code):
    """ "8471300000" / "8471.30.00.00" -> "8471.30.00.00"; None when it is not
    8 or 10 digits."""
    digits = _TARIFF_SEPARATORS.sub("", code or "")
    if not _TARIFF_DIGITS.match(digits):
        return None
    return ".".join([digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)])


class CustomsFileGoodsLine(models.Model):
    _name = "customs.file.goods.line"
    _description = "Customs File Goods Line"
    _order = "file_id, sequence, id"

    file_id = fields.Many2one("customs.file", string="Customs File", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    tariff_code = fields.Char(required=True, help="SAC / national tariff code: 8 or 10 digits, e.g. 8471.30.00.")
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    currency_id = fields.Many2one(related="file_id.currency_id")
    fob_amount = fields.Monetary(string="FOB Value", currency_field="currency_id")
    duty_rate = fields.Float(string="Duty (%)", digits=(16, 2), help="Tariff duty rate: DAI / ad valorem.")
    cif_amount = fields.Monetary(
        string="CIF Value",
        currency_field="currency_id",
        compute="_compute_amounts",
        help="FOB plus its share of the " "declaration's freight and insurance, in proportion to its FOB.",
    )
    duty_amount = fields.Monetary(string="Duty", currency_field="company_currency_id", compute="_compute_amounts")
    company_currency_id = fields.Many2one(related="file_id.company_currency_id")

    @api.depends(
        "fob_amount",
        "duty_rate",
        "file_id.freight_amount",
        "file_id.insurance_amount",
        "file_id.exchange_rate",
        "file_id.goods_line_ids.fob_amount",
    )
    def _compute_amounts(self):
        for customs_file in self.file_id:
            breakdown = customs_file._goods_breakdown()
            for line in self.filtered(lambda rec, f=customs_file: rec.file_id == f):
                line.cif_amount, line.duty_amount = breakdown.get(line.id, (0.0, 0.0))
        for line in self.filtered(lambda rec: not rec.file_id):
            line.cif_amount = line.duty_amount = 0.0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("tariff_code"):
                vals["tariff_code"] = normalize_tariff_code(vals["tariff_code"]) or vals["tariff_code"]
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("tariff_code"):
            vals = dict(vals, tariff_code=normalize_tariff_code(vals["tariff_code"]) or vals["tariff_code"])
        return super().write(vals)

    @api.constrains("tariff_code")
    def _check_tariff_code(self):
        for line in self:
            if normalize_tariff_code(line.tariff_code) != line.tariff_code:
                raise ValidationError(
                    self.env._(
                        "Tariff code %(code)s is not valid: it has 8 digits (SAC, e.g. 8471.30.00) or 10 with the "
                        "national opening (e.g. 8471.30.00.00).",
                        code=line.tariff_code,
                    )
                )

    @api.constrains("duty_rate", "fob_amount", "quantity")
    def _check_amounts(self):
        for line in self:
            if line.duty_rate < 0 or line.duty_rate > 100 or line.fob_amount < 0 or line.quantity < 0:
                raise ValidationError(
                    self.env._(
                        "Goods line %(code)s: quantity, FOB value and duty rate cannot be negative, and the rate is "
                        "at most 100 %%.",
                        code=line.tariff_code,
                    )
                )
