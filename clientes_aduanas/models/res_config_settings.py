from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    require_registered_customer = fields.Boolean(
        related="company_id.require_registered_customer",
        readonly=False,
    )
    lookup_cache_hours = fields.Integer(
        string="Lookup Cache (hours)",
        config_parameter="clientes_aduanas.lookup_cache_hours",
        default=24,
        help="How long a successful lookup answer is reused without asking the provider again.",
    )
    lookup_not_found_minutes = fields.Integer(
        string="Remember 'Not Found' (minutes)",
        config_parameter="clientes_aduanas.lookup_not_found_minutes",
        default=10,
        help="A number no source knows is not asked again for this long (a new RUC appears within a day).",
    )
