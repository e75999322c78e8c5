from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    require_registered_customer = fields.Boolean(
        related="company_id.require_registered_customer",
        readonly=False,
    )
