from odoo import fields, models

from .whatsapp_account import split_params


class CustomsFile(models.Model):
    _inherit = "customs.file"

    whatsapp_message_ids = fields.One2many("whatsapp.message", "customs_file_id", string="WhatsApp Messages")

    def _whatsapp_param_values(self):
        """Values a template parameter of a customs-file message can take,
        in the customer's language."""
        self.ensure_one()
        record = self.with_context(lang=self.commercial_partner_id.lang or self.env.lang)
        labels = dict(record._fields["state"]._description_selection(record.env))
        return {
            "customer_name": self.commercial_partner_id.name,
            "file_reference": self.name,
            "file_state": labels[self.state],
            "file_portal_url": f"{self.get_base_url()}{self.sudo().get_portal_url()}",
        }

    def _whatsapp_notify_state(self):
        """Queue the state template to every WhatsApp number of the
        customers of these files (beside the notification e-mail)."""
        Account = self.env["whatsapp.account"]
        vals_list = []
        for record in self.sudo():
            partner = record.commercial_partner_id
            account = Account._for_company(record.company_id)
            template = account.state_template_id
            if not (template and template.usable) or partner.customer_state != "active":
                continue
            values = record._whatsapp_param_values()
            params = [values[key] for key in split_params(account.state_template_params)]
            for number in partner._whatsapp_recipients():
                vals_list.append(
                    {
                        "account_id": account.id,
                        "partner_id": partner.id,
                        "customs_file_id": record.id,
                        "number": number,
                        "event": "customs_file_state_changed",
                        "template_id": template.id,
                        "params": params,
                        "body": template._render(params),
                    }
                )
        if vals_list:
            self.env["whatsapp.message"]._queue(vals_list)

    def action_whatsapp_send(self):
        # The customer's own send wizard, about this file.
        self.ensure_one()
        action = self.commercial_partner_id.action_whatsapp_send()
        action["context"]["default_customs_file_id"] = self.id
        return action
