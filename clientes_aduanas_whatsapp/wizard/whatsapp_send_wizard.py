from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.whatsapp_account import PARAM_KEYS, split_params


class WhatsappSendWizard(models.TransientModel):
    _name = "whatsapp.send.wizard"
    _description = "Send WhatsApp"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    customs_file_id = fields.Many2one("customs.file", readonly=True)
    account_id = fields.Many2one("whatsapp.account", compute="_compute_account_id")
    mode = fields.Selection(
        [("template", "Template"), ("text", "Free text")], required=True, default="template", string="Send"
    )
    template_id = fields.Many2one(
        "whatsapp.template", domain="[('account_id', '=', account_id), ('usable', '=', True)]"
    )
    template_params = fields.Char(
        string="Parameters",
        compute="_compute_template_params",
        store=True,
        readonly=False,
        help="Values of {{1}}, {{2}}... separated by commas: customer_name, and for a customs file "
        "file_reference, file_state, file_portal_url.",
    )
    free_text = fields.Text(help="Only within 24 hours of the customer's last WhatsApp message.")
    window_open = fields.Boolean(compute="_compute_window_open")
    recipients = fields.Char(compute="_compute_recipients")

    @api.depends("partner_id", "customs_file_id")
    def _compute_account_id(self):
        for wizard in self:
            company = wizard.customs_file_id.company_id or wizard.partner_id.company_id or self.env.company
            wizard.account_id = self.env["whatsapp.account"]._for_company(company)

    @api.depends("template_id", "customs_file_id")
    def _compute_template_params(self):
        for wizard in self:
            keys = [k for k, events in PARAM_KEYS.items() if wizard._event() in events]
            wizard.template_params = ", ".join(keys[: wizard.template_id.param_count])

    @api.depends("partner_id")
    def _compute_window_open(self):
        now = fields.Datetime.now()
        for wizard in self:
            until = wizard.partner_id.commercial_partner_id.whatsapp_window_until
            wizard.window_open = bool(until and until > now)

    @api.depends("partner_id")
    def _compute_recipients(self):
        for wizard in self:
            wizard.recipients = ", ".join(wizard.partner_id._whatsapp_recipients()) if wizard.partner_id else ""

    def _event(self):
        return "manual_file" if self.customs_file_id else "manual"

    def action_send(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        account = self.account_id
        if not account:
            raise UserError(self.env._("No WhatsApp account is set up for this company."))
        # The wizard's fields are readonly only on screen: an RPC caller
        # chooses them, and the recipients are read as superuser.
        partner.check_access("read")
        if self.customs_file_id:
            self.customs_file_id.check_access("read")
            if self.customs_file_id.commercial_partner_id != partner:
                raise UserError(
                    self.env._(
                        "Customs file %(file)s belongs to another customer: its link cannot be sent to %(name)s.",
                        file=self.customs_file_id.name,
                        name=partner.name,
                    )
                )
        if account.company_id not in self.env.companies:
            raise UserError(self.env._("No WhatsApp account is set up for this company."))
        if partner.customer_state != "active":
            raise UserError(self.env._("%(name)s is suspended: nothing can be sent to it.", name=partner.name))
        numbers = partner._whatsapp_recipients()
        if not numbers:
            raise UserError(self.env._("%(name)s has no WhatsApp number that may receive messages.", name=partner.name))
        if self.mode == "text":
            if not self.window_open:
                raise UserError(
                    self.env._(
                        "Free text can only be sent within 24 hours of the customer's last message: use a template."
                    )
                )
            if not (self.free_text or "").strip():
                raise UserError(self.env._("Write the message."))
            params, body, template = [], self.free_text.strip(), False
        else:
            template = self.template_id
            if not template:
                raise UserError(self.env._("Choose a template."))
            if template.account_id != account:
                raise UserError(
                    self.env._("Template %(template)s belongs to another WhatsApp account.", template=template.name)
                )
            account._check_params(template, self.template_params, self._event())
            if self.customs_file_id:
                values = self.customs_file_id._whatsapp_param_values()
            else:
                values = {"customer_name": partner.name}
            params = [values[key] for key in split_params(self.template_params)]
            body = template._render(params)
        self.env["whatsapp.message"]._queue(
            [
                {
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "customs_file_id": self.customs_file_id.id,
                    "number": number,
                    "event": "manual",
                    "template_id": template and template.id,
                    "params": params,
                    "body": body,
                }
                for number in numbers
            ]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("WhatsApp queued to %(numbers)s.", numbers=", ".join(numbers)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
