import json

from odoo import api, fields, models

GOOD_STATE, GOOD_CONDITION = "ACTIVO", "HABIDO"


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

    @api.depends("taxpayer_state", "taxpayer_condition")
    def _compute_warning(self):
        for wizard in self:
            problems = []
            if wizard.taxpayer_state and wizard.taxpayer_state.upper() != GOOD_STATE:
                problems.append(self.env._("the taxpayer is %(state)s, not ACTIVO", state=wizard.taxpayer_state))
            if wizard.taxpayer_condition and wizard.taxpayer_condition.upper() != GOOD_CONDITION:
                problems.append(
                    self.env._("the address is %(condition)s, not HABIDO", condition=wizard.taxpayer_condition)
                )
            wizard.warning = self.env._("Warning: %(problems)s.", problems="; ".join(problems)) if problems else False

    def action_apply(self):
        self.ensure_one()
        vals = {line.field_name: json.loads(line.new_value) for line in self.line_ids if line.apply}
        if vals:
            self.partner_id.write(vals)
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
