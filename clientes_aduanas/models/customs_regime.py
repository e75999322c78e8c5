from odoo import fields, models


class CustomsRegime(models.Model):
    """Customs regime (régimen aduanero) a declaration is filed under, e.g.
    4000 importación definitiva. Shipped for Honduras and Peru; admins add
    the ones their customers use."""

    _name = "customs.regime"
    _description = "Customs Regime"
    _order = "country_id, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    country_id = fields.Many2one("res.country", required=True, index=True)
    operation_type = fields.Selection(
        [("import", "Importation"), ("export", "Exportation"), ("other", "Other")],
        required=True,
        default="import",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_country_uniq", "unique(code, country_id)", "A customs regime code must be unique per country."),
    ]

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} - {record.name}"
