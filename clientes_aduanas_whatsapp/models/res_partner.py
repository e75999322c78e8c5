import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.clientes_aduanas.tools import contact_channel as ch

from .whatsapp_account import FILE_EVENTS

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class ResPartner(models.Model):
    _inherit = "res.partner"

    whatsapp_message_ids = fields.One2many(
        "whatsapp.message",
        "partner_id",
        string="WhatsApp Messages",
        groups="clientes_aduanas.clientes_aduanas_group_view",
    )
    whatsapp_message_count = fields.Integer(
        compute="_compute_whatsapp_message_count", groups="clientes_aduanas.clientes_aduanas_group_view"
    )
    whatsapp_window_until = fields.Datetime(
        string="WhatsApp Window Until",
        readonly=True,
        copy=False,
        # When the customer last wrote: part of the conversation.
        groups="clientes_aduanas.clientes_aduanas_group_view",
        help="Free text can be sent until then: 24 hours after the customer's last WhatsApp message.",
    )
    whatsapp_blacklisted = fields.Char(
        string="WhatsApp Opt-outs",
        compute="_compute_whatsapp_blacklisted",
        # Its numbers come from the notification list, hidden from the same users.
        groups="clientes_aduanas.clientes_aduanas_group_view",
        help="Numbers of this customer that asked not to receive WhatsApp messages: nothing is sent to them.",
    )

    def _compute_whatsapp_message_count(self):
        counts = dict(
            self.env["whatsapp.message"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.whatsapp_message_count = counts.get(partner, 0)

    @api.depends("notification_whatsapp", "phone", "phone_is_whatsapp")
    def _compute_whatsapp_blacklisted(self):
        numbers = {partner: partner._whatsapp_candidate_numbers() for partner in self}
        listed = self._whatsapp_blacklisted_numbers({n for values in numbers.values() for n in values})
        for partner in self:
            partner.whatsapp_blacklisted = ", ".join(n for n in numbers[partner] if n in listed)

    # ------------------------------------------------------------------
    # Recipients
    # ------------------------------------------------------------------
    def _whatsapp_candidate_numbers(self):
        """E.164 numbers of the notification list, plus the phone when it
        is marked as WhatsApp; unreadable ones are skipped."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        country = partner.country_id.code or None
        items = ch.split_list(partner.notification_whatsapp)
        if partner.phone_is_whatsapp and partner.phone:
            items.append(partner.phone)
        numbers = []
        for item in items:
            # The list is stored normalised: parse only what is not E.164 yet.
            if E164.match(item):
                number = item
            else:
                try:
                    number = ch.normalize_phone(item, country)
                except ch.ChannelError:
                    continue
            if number not in numbers:
                numbers.append(number)
        return numbers

    def _whatsapp_blacklisted_numbers(self, numbers):
        """The subset of ``numbers`` (E.164) on the phone blacklist. Read
        directly: the model's search would parse each number again."""
        if not numbers:
            return set()
        self.env["phone.blacklist"].flush_model(["number", "active"])
        self.env.cr.execute("SELECT number FROM phone_blacklist WHERE active AND number = ANY(%s)", [list(numbers)])
        return {row[0] for row in self.env.cr.fetchall()}

    def _whatsapp_recipients(self):
        """The candidate numbers minus those on the phone blacklist."""
        numbers = self._whatsapp_candidate_numbers()
        listed = self._whatsapp_blacklisted_numbers(numbers)
        return [n for n in numbers if n not in listed]

    @api.model
    def _whatsapp_find_by_number(self, number):
        """The registered customer that owns ``number`` (E.164), if exactly
        one does."""
        # The list is stored in E.164; a phone keeps the format it was
        # typed in, so only its last two digits are sure to be together.
        # Suspended (archived) customers too: their opt-out still counts.
        candidates = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("is_registered_customer", "=", True),
                    "|",
                    ("notification_whatsapp", "ilike", number),
                    "&",
                    ("phone_is_whatsapp", "=", True),
                    ("phone", "ilike", number[-2:]),
                ]
            )
        )
        owners = candidates.filtered(lambda p: number in p._whatsapp_candidate_numbers()).commercial_partner_id
        return owners if len(owners) == 1 else self.browse()

    # ------------------------------------------------------------------
    # Customer events
    # ------------------------------------------------------------------
    def _customer_event(self, event, **payload):
        res = super()._customer_event(event, **payload)
        if event in FILE_EVENTS:
            payload["customs_files"]._whatsapp_notify(event)
        elif event == "invoice_posted":
            self._whatsapp_notify_invoices(payload["moves"])
        return res

    def _whatsapp_notify_invoices(self, moves):
        Account = self.env["whatsapp.account"]
        vals_list = []
        for move in moves:
            partner = move.commercial_partner_id
            account = Account._for_company(move.company_id)
            template, keys = account._event_template("invoice_posted") if account else (None, [])
            if not template or partner.customer_state != "active":
                continue
            values = {
                "customer_name": partner.name,
                "invoice_number": move.name,
                "invoice_amount": move.currency_id.format(move.amount_total)
                if move.currency_id
                else str(move.amount_total),
            }
            params = [values[key] for key in keys]
            for number in partner._whatsapp_recipients():
                vals_list.append(
                    {
                        "account_id": account.id,
                        "partner_id": partner.id,
                        "move_id": move.id,
                        "number": number,
                        "event": "invoice_posted",
                        "template_id": template.id,
                        "params": params,
                        "body": template._render(params),
                    }
                )
        if vals_list:
            self.env["whatsapp.message"]._queue(vals_list)

    def action_whatsapp_send(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        if partner.customer_state != "active":
            raise UserError(self.env._("%(name)s is suspended: nothing can be sent to it.", name=partner.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send WhatsApp"),
            "res_model": "whatsapp.send.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.id},
        }

    def action_view_whatsapp_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clientes_aduanas_whatsapp.whatsapp_message_action")
        return action | {"domain": [("partner_id", "=", self.commercial_partner_id.id)], "context": {"create": False}}
