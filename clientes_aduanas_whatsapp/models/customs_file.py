from odoo import fields, models


class CustomsFile(models.Model):
    _inherit = "customs.file"

    whatsapp_message_ids = fields.One2many("whatsapp.message", "customs_file_id", string="WhatsApp Messages")

    def _whatsapp_param_values(self):
        """Values a template parameter of a customs-file message can take,
        in the customer's language."""
        self.ensure_one()
        partner = self.commercial_partner_id
        record = self.with_context(lang=partner.lang or self.env.lang)
        states = dict(record._fields["state"]._description_selection(record.env))
        channels = dict(record._fields["selectivity_channel"]._description_selection(record.env))
        return {
            "customer_name": partner.name,
            "file_reference": self.name,
            "file_state": states[self.state],
            "file_portal_url": f"{self.get_base_url()}{self.sudo().get_portal_url()}",
            "selectivity_channel": channels.get(self.selectivity_channel, ""),
            "release_date": record._whatsapp_release_date(),
        }

    def _whatsapp_release_date(self):
        """The levante as the customer reads it: its language's date format
        and the time, in its time zone (the company's when it has none)."""
        if not self.release_datetime:
            return ""
        tz = self.commercial_partner_id.tz or self.company_id.partner_id.tz or "UTC"
        local = fields.Datetime.context_timestamp(self.with_context(tz=tz), self.release_datetime)
        date_format = self.env["res.lang"]._get_data(code=self.env.lang or "en_US").date_format or "%m/%d/%Y"
        return local.strftime(f"{date_format} %H:%M")

    def _whatsapp_notify(self, event):
        """Queue the ``event`` template of each file's company account to
        every WhatsApp number of the file's customer (beside the e-mail)."""
        Account = self.env["whatsapp.account"]
        accounts = {}
        vals_list = []
        for record in self.sudo():
            partner = record.commercial_partner_id
            if partner.customer_state != "active":
                continue
            if record.company_id not in accounts:
                accounts[record.company_id] = Account._for_company(record.company_id)
            account = accounts[record.company_id]
            if not account:
                continue
            if (
                event == "customs_file_state_changed"
                and record.state == "released"
                and account._event_template("customs_file_released")[0]
            ):
                # As the e-mail: the move to released is announced by the
                # levante message, fired by the same write.
                continue
            template, keys = account._event_template(event)
            if not template:
                continue
            values = record._whatsapp_param_values()
            params = [values[key] for key in keys]
            body = template._render(params)
            vals_list.extend(
                {
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "customs_file_id": record.id,
                    "number": number,
                    "event": event,
                    "template_id": template.id,
                    "params": params,
                    "body": body,
                }
                for number in partner._whatsapp_recipients()
            )
        if vals_list:
            self.env["whatsapp.message"]._queue(vals_list)

    def action_whatsapp_send(self):
        # The customer's own send wizard, about this file.
        self.ensure_one()
        action = self.commercial_partner_id.action_whatsapp_send()
        action["context"]["default_customs_file_id"] = self.id
        return action
