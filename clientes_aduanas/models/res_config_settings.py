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
    sunat_refuse_observed = fields.Boolean(related="company_id.sunat_refuse_observed", readonly=False)
    sunat_alert_user_id = fields.Many2one(related="company_id.sunat_alert_user_id", readonly=False)
    lookup_time_budget = fields.Float(
        string="Time per Lookup (seconds)",
        config_parameter="clientes_aduanas.lookup_time_budget",
        default=10.0,
        help="Total time one lookup may take across all retries and providers, so that no worker is held longer.",
    )
    padron_directory = fields.Char(
        string="Padrón Directory on the Server",
        config_parameter="clientes_aduanas.padron_directory",
        help="Only files inside this directory can be loaded as the SUNAT padrón from the server.",
    )
    customer_document_refuse = fields.Boolean(related="company_id.customer_document_refuse", readonly=False)
