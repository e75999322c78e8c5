from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.detraction import SpotRate, to_decimal


class DetractionRate(models.Model):
    """A rate of a SPOT code over a validity period: when SUNAT changes a
    rate, the old row gets an end date and a new row starts, so invoices keep
    the rate of their own date."""

    _name = "detraction.rate"
    _description = "SPOT Rate (Detracción)"
    _order = "code_id, date_from desc"

    code_id = fields.Many2one("detraction.code", required=True, ondelete="cascade", index=True)
    rate = fields.Float(required=True, digits=(5, 2), help="Percentage of the total including IGV.")
    threshold = fields.Float(
        digits=(16, 2),
        help="Amount in soles the invoice total must exceed. Empty: the general S/ 700.",
    )
    date_from = fields.Date(string="Valid From", help="Empty: since the beginning.")
    date_to = fields.Date(string="Valid Until", help="Empty: still in force.")
    legal_basis = fields.Char(help="The resolution that sets this rate.")

    @api.constrains("code_id", "date_from", "date_to")
    def _check_no_overlap(self):
        for rate in self:
            if rate.date_from and rate.date_to and rate.date_from > rate.date_to:
                raise ValidationError(self.env._("A rate cannot end before it starts."))
            domain = [("code_id", "=", rate.code_id.id), ("id", "!=", rate.id)]
            if rate.date_to:
                domain += ["|", ("date_from", "=", False), ("date_from", "<=", rate.date_to)]
            if rate.date_from:
                domain += ["|", ("date_to", "=", False), ("date_to", ">=", rate.date_from)]
            if self.search_count(domain, limit=1):
                raise ValidationError(
                    self.env._(
                        "Code %(code)s already has a rate in force in that period: close it first.",
                        code=rate.code_id.code,
                    )
                )

    def _spot_rate(self):
        self.ensure_one()
        return SpotRate(
            self.code_id.code,
            to_decimal(self.rate),
            to_decimal(self.threshold) if self.threshold else None,
            uses_reference_value=self.code_id.annex == "transport",
        )
