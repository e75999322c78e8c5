from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    detraction_account_number = fields.Char(related="company_id.detraction_account_number", readonly=False)
    detraction_journal_id = fields.Many2one(related="company_id.detraction_journal_id", readonly=False)
    detraction_default_code_id = fields.Many2one(related="company_id.detraction_default_code_id", readonly=False)
