from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import customs_tax


class CustomsTaxType(models.Model):
    """A tax or charge of an import declaration, as data: each country's
    taxes are records of this one shape (see tools/customs_tax.py for how
    they are evaluated, data/customs_tax_type_data.xml for the shipped ones
    and their legal source)."""

    _name = "customs.tax.type"
    _description = "Customs Tax Type"
    _order = "country_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    country_id = fields.Many2one("res.country", required=True, index=True)
    sequence = fields.Integer(default=10, help="Order of computation: a tax can add earlier taxes to its base.")
    amount_type = fields.Selection(
        [
            (customs_tax.DUTY, "Duty rate of each goods line"),
            (customs_tax.PERCENT, "Percentage of a base"),
            (customs_tax.FIXED, "Fixed amount"),
        ],
        required=True,
        default=customs_tax.PERCENT,
    )
    rate = fields.Float(digits=(16, 4), help="Default rate (%) of a percentage tax; editable on each declaration.")
    fixed_amount = fields.Float(
        digits=(16, 2), help="Default amount, in the local currency, of a fixed charge; editable on each declaration."
    )
    base_cif = fields.Boolean(string="Base Includes CIF", default=True)
    base_tax_type_ids = fields.Many2many(
        "customs.tax.type",
        "customs_tax_type_base_rel",
        "tax_type_id",
        "base_tax_type_id",
        string="Base Includes Taxes",
        help="Taxes computed before this one whose amounts are added to its base.",
    )
    auto_apply = fields.Boolean(
        string="Applies by Default",
        default=True,
        help="Added to every declaration of its country; the others are added by hand when they apply.",
    )
    legal_reference = fields.Char(help="Law or regulation that sets the tax, its rate and its base.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_country_uniq", "unique(code, country_id)", "A customs tax code must be unique per country."),
    ]

    @api.constrains("base_tax_type_ids", "sequence", "country_id")
    def _check_base_taxes(self):
        for record in self:
            wrong = record.base_tax_type_ids.filtered(
                lambda t, record=record: t.country_id != record.country_id
                or (t.sequence, t.id) >= (record.sequence, record.id)
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "The base of %(tax)s can only include taxes of its country computed before it: %(wrong)s.",
                        tax=record.name,
                        wrong=", ".join(wrong.mapped("name")),
                    )
                )
