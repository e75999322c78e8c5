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
