from odoo import fields, models


class DetractionCode(models.Model):
    _name = "detraction.code"
    _description = "SPOT Code (Detracción)"
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, size=3, help="SUNAT's three-digit code of the good or service (Catálogo 54).")
    name = fields.Char(required=True, help="Name in SUNAT's catalogue.")
    annex = fields.Selection(
        [("1", "Annex 1"), ("2", "Annex 2"), ("3", "Annex 3"), ("transport", "Road transport of goods")],
        required=True,
        help="Annex of R.S. 183-2004/SUNAT that lists the good or service; road transport of goods has "
        "its own resolution (R.S. 073-2006/SUNAT).",
    )
    active = fields.Boolean(default=True)
    rate_ids = fields.One2many("detraction.rate", "code_id", string="Rates")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A SPOT code must be unique."),
    ]

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} {record.name}"

    def _rates_on(self, date):
        """{code record: its detraction.rate valid on ``date``}, one query."""
        rates = self.env["detraction.rate"].search(
            [
                ("code_id", "in", self.ids),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", date),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", date),
            ]
        )
        return {rate.code_id: rate for rate in rates}
