import logging
from datetime import UTC, datetime, timedelta

from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from .whatsapp_account import GraphError

_logger = logging.getLogger(__name__)

# A status only moves forward: a "read" may arrive before its "delivered",
# and Meta repeats callbacks.
STATE_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}
OPT_OUT_WORDS = {"BAJA", "STOP"}
MAX_ATTEMPTS = 5
WINDOW = timedelta(hours=24)


class WhatsappMessage(models.Model):
    _name = "whatsapp.message"
    _description = "WhatsApp Message"
    _order = "id desc"
    _rec_name = "number"

    account_id = fields.Many2one("whatsapp.account", required=True, readonly=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True, ondelete="cascade")
    customs_file_id = fields.Many2one("customs.file", readonly=True, index="btree_not_null", ondelete="set null")
    move_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, index="btree_not_null", ondelete="set null"
    )
    number = fields.Char(required=True, readonly=True, help="Recipient in E.164 format.")
    event = fields.Selection(
        [
            ("customs_file_state_changed", "Customs file state"),
            ("invoice_posted", "Invoice posted"),
            ("manual", "Sent by a user"),
        ],
        required=True,
        readonly=True,
        default="manual",
    )
    template_id = fields.Many2one("whatsapp.template", readonly=True, ondelete="set null")
    params = fields.Json(readonly=True, groups="clientes_aduanas.clientes_aduanas_group_view")
    body = fields.Text(readonly=True, groups="clientes_aduanas.clientes_aduanas_group_view")
    wamid = fields.Char(string="WhatsApp Message ID", readonly=True, copy=False)
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("delivered", "Delivered"), ("read", "Read"), ("failed", "Failed")],
        required=True,
        default="queued",
        readonly=True,
        index=True,
    )
    error_code = fields.Char(readonly=True)
    error_title = fields.Char(string="Error", readonly=True)
    sent_date = fields.Datetime(readonly=True)
    delivered_date = fields.Datetime(readonly=True)
    read_date = fields.Datetime(readonly=True)

    # The webhook finds a message by its wamid: one index lookup per callback.
    _sql_constraints = [("wamid_unique", "unique(wamid)", "A WhatsApp message id is recorded once.")]

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.model
    def _queue(self, vals_list):
        """Create the messages and one job per message: the job starts after
        the caller's transaction commits (queue_job stores it in that same
        transaction), so nothing is ever sent for a change rolled back."""
        messages = self.sudo().create(vals_list)
        for message in messages:
            message.with_delay(
                max_retries=MAX_ATTEMPTS,
                description=self.env._("WhatsApp to %(number)s", number=message.number),
            )._send_job()
        return messages

    # ------------------------------------------------------------------
    # Sending (queue job)
    # ------------------------------------------------------------------
    def _last_attempt(self):
        """Whether the running job has no retry left (queue_job counts the
        attempts in its queue.job row)."""
        uuid = self.env.context.get("job_uuid")
        job = uuid and self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
        return bool(job) and job.max_retries and job.retry + 1 >= job.max_retries

    def _send_payload(self):
        digits = self.number.lstrip("+")
        if not self.template_id:
            return {
                "messaging_product": "whatsapp",
                "to": digits,
                "type": "text",
                "text": {"preview_url": False, "body": self.body},
            }
        template = {"name": self.template_id.name, "language": {"code": self.template_id.language}}
        if self.params:
            template["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": str(value)} for value in self.params]}
            ]
        return {"messaging_product": "whatsapp", "to": digits, "type": "template", "template": template}

    def _send_job(self):
        """Send one message. 429, 5xx and timeouts are retried by queue_job
        with backoff; any other error is final and kept with Meta's code."""
        self.ensure_one()
        message = self.sudo()
        if message.state != "queued":
            return "already processed"
        partner = message.partner_id
        if partner and partner.customer_state != "active":
            message._fail("suspended", self.env._("The customer is suspended."))
            return "customer suspended"
        if self.env["res.partner"]._whatsapp_blacklisted_numbers([message.number]):
            message._fail("blacklisted", self.env._("The number asked not to receive messages (BAJA)."))
            return "blacklisted"
        if message.template_id and (
            not message.template_id.usable or any(value in (None, "") for value in message.params or [])
        ):
            message._fail("template", self.env._("The template is not usable or a parameter is empty."))
            return "template not usable"
        account = message.account_id
        if not account._take_rate_slot():
            # Not an attempt: wait for the next minute without spending a retry.
            raise RetryableJobError(
                f"rate limit of {account.rate_limit} messages per minute",
                seconds=61 - datetime.now().second,
                ignore_retry=True,
            )
        try:
            data = account._graph_request(
                "POST", account._graph_url(f"{account.phone_number_id}/messages"), message._send_payload()
            )
        except GraphError as err:
            if err.retryable and not message._last_attempt():
                raise RetryableJobError(f"WhatsApp {err.status} {err.code}: {err.title}") from err
            message._fail(err.code, err.title)
            return f"failed {err.code}"
        wamid = ((data.get("messages") or [{}])[0] or {}).get("id")
        message.write({"state": "sent", "wamid": wamid or False, "sent_date": fields.Datetime.now()})
        message._post_in_chatter()
        return f"sent {wamid}"

    def _fail(self, code, title):
        self.write({"state": "failed", "error_code": str(code)[:32], "error_title": (title or "")[:250]})
        self._post_in_chatter()

    def _post_in_chatter(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for message in self:
            record = message.customs_file_id or message.partner_id
            if not record:
                continue
            text = Markup("%s<br/>%s") % (
                self.env._("WhatsApp to %(number)s: %(state)s", number=message.number, state=labels[message.state]),
                message.body or "",
            )
            if message.state == "failed":
                text += Markup("<br/>%s") % self.env._(
                    "Error %(code)s: %(title)s", code=message.error_code, title=message.error_title
                )
            record.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Webhook
    # ------------------------------------------------------------------
    @api.model
    def _process_webhook(self, payload):
        """Apply a verified webhook call: delivery statuses and inbound
        messages of every entry."""
        statuses, inbound = [], []
        entries = payload.get("entry") if isinstance(payload, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            changes = entry.get("changes") if isinstance(entry, dict) else None
            for change in changes if isinstance(changes, list) else []:
                value = change.get("value") if isinstance(change, dict) else None
                if not isinstance(value, dict):
                    continue
                statuses.extend(s for s in value.get("statuses") or [] if isinstance(s, dict))
                inbound.extend(m for m in value.get("messages") or [] if isinstance(m, dict))
        if statuses:
            self._apply_statuses(statuses)
        if inbound:
            self._receive(inbound)
        return True

    @api.model
    def _apply_statuses(self, statuses):
        wamids = [s.get("id") for s in statuses if s.get("id")]
        messages = {m.wamid: m for m in self.sudo().search([("wamid", "in", wamids)])}
        for status in statuses:
            message = messages.get(status.get("id"))
            new = status.get("status")
            if not message or new not in ("sent", "delivered", "read", "failed"):
                continue
            when = _timestamp(status.get("timestamp"))
            if new == "failed":
                if message.state not in ("queued", "sent"):
                    continue
                error = (status.get("errors") or [{}])[0] or {}
                message.write(
                    {
                        "state": "failed",
                        "error_code": str(error.get("code") or "")[:32],
                        "error_title": (error.get("title") or error.get("message") or "")[:250],
                    }
                )
                continue
            if message.state == "failed" or STATE_RANK[new] <= STATE_RANK[message.state]:
                continue
            vals = {"state": new}
            vals.update(
                {
                    f"{s}_date": when
                    for s in ("sent", "delivered", "read")
                    if STATE_RANK[s] <= STATE_RANK[new] and not message[f"{s}_date"]
                }
            )
            message.write(vals)

    @api.model
    def _receive(self, inbound):
        Partner = self.env["res.partner"].sudo()
        for item in inbound:
            number = "+" + "".join(c for c in str(item.get("from") or "") if c.isdigit())
            text_part = item.get("text") if isinstance(item.get("text"), dict) else {}
            button = item.get("button") if isinstance(item.get("button"), dict) else {}
            text = str(text_part.get("body") or button.get("text") or "").strip()
            partner = Partner._whatsapp_find_by_number(number)
            if not partner:
                _logger.info("WhatsApp message from an unknown number ignored (%s***)", number[:5])
                continue
            when = _timestamp(item.get("timestamp"))
            partner.write({"whatsapp_window_until": when + WINDOW})
            partner.message_post(
                body=self.env._("WhatsApp from %(number)s: %(text)s", number=number, text=text or "-"),
                subtype_xmlid="mail.mt_note",
            )
            if text.upper().strip(" .!") in OPT_OUT_WORDS:
                note = self.env._("Asked not to receive WhatsApp messages (%(word)s).", word=text)
                self.env["phone.blacklist"].sudo()._add([number], message=note)
                partner.message_post(
                    body=self.env._("%(number)s put on the phone blacklist: %(note)s", number=number, note=note),
                    subtype_xmlid="mail.mt_note",
                )


def _timestamp(value):
    try:
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return fields.Datetime.now()
