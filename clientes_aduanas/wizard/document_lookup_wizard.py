import json

from odoo import api, fields, models


class DocumentLookupWizard(models.TransientModel):
    """Shows what the lookup found next to the customer's current values;
    only the ticked lines are written, through the normal customer rules."""

    _name = "document.lookup.wizard"
    _description = "Document Lookup Result"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    provider = fields.Char(string="Source", readonly=True)
    taxpayer_state = fields.Char(string="Taxpayer Status", readonly=True)
    taxpayer_condition = fields.Char(string="Address Condition", readonly=True)
    warning = fields.Char(compute="_compute_warning")
    line_ids = fields.One2many("document.lookup.wizard.line", "wizard_id")
    sunat_review = fields.Boolean(help="Opened to review the differences found by the padrón check.")

    @api.depends("taxpayer_state", "taxpayer_condition")
    def _compute_warning(self):
        Provider = self.env["document.lookup.provider"]
        for wizard in self:
            wizard.warning = Provider._taxpayer_warning(wizard.taxpayer_state, wizard.taxpayer_condition)

    def action_apply(self):
        self.ensure_one()
        vals = {line.field_name: json.loads(line.new_value) for line in self.line_ids if line.apply}
        if vals:
            self.partner_id.write(vals)
        if self.sunat_review:
            # Reviewed: what was not ticked is the customer's own choice.
            self.partner_id._sunat_set_status({"sunat_data_differs": False})
        return {"type": "ir.actions.act_window_close"}


class DocumentLookupWizardLine(models.TransientModel):
    _name = "document.lookup.wizard.line"
    _description = "Document Lookup Result Line"

    wizard_id = fields.Many2one("document.lookup.wizard", required=True, ondelete="cascade")
    field_name = fields.Char(required=True)
    label = fields.Char(string="Field", readonly=True)
    current_display = fields.Char(string="Current Value", readonly=True)
    new_display = fields.Char(string="Found Value", readonly=True)
    new_value = fields.Char(help="The value to write, as JSON.")
    apply = fields.Boolean(string="Use Found Value", default=True)
