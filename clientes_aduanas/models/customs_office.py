from odoo import fields, models


class CustomsOffice(models.Model):
    """Customs office (aduana) where a declaration is lodged. Its country is
    the declaration's: it decides the declaration type, the selectivity
    channels and the taxes that apply."""

    _name = "customs.office"
    _description = "Customs Office"
    _order = "country_id, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True)
    country_id = fields.Many2one("res.country", required=True, index=True)
    office_type = fields.Selection(
        [("sea", "Sea Port"), ("air", "Airport"), ("land", "Land Border"), ("inland", "Inland")],
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_country_uniq", "unique(code, country_id)", "A customs office code must be unique per country."),
    ]

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} - {record.name}"
