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
            ("customs_file_channel_assigned", "Selectivity channel"),
            ("customs_file_released", "Levante"),
            ("invoice_posted", "Invoice posted"),
            ("manual", "Sent by a user"),
            ("inbound", "Received from the customer"),
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
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("read", "Read"),
            ("failed", "Failed"),
            ("received", "Received"),
        ],
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
        """Create the messages (one INSERT) and one dispatch job for them
        all, stored in the caller's transaction: it runs after the commit
        (never for a change rolled back) and queues one send job per
        message. queue_job stores each job with its own queries; the user's
        request pays for one job, whatever the number of recipients."""
        messages = self.sudo().create(vals_list)
        if messages:
            messages.with_delay(
                description=self.env._("WhatsApp: queue %(count)s messages", count=len(messages))
            )._dispatch_send_jobs()
        return messages

    def _dispatch_send_jobs(self):
        """Queue job: one send job per message still queued (each retried
        on its own)."""
        queued = self.filtered(lambda m: m.state == "queued")
        for message in queued:
            message.with_delay(
                max_retries=MAX_ATTEMPTS,
                description=self.env._("WhatsApp to %(number)s", number=message.number),
            )._send_job()
        return f"{len(queued)} send jobs queued"

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
        """A note per message, without its text: the content stays in the
        message record (readable with *Clientes: Ver* only) and the note
        links to it. On the customs file (itself *Clientes: Ver* only) the
        note gives the number, the state and Meta's error; on the customer,
        whose chatter every internal user reads, only what happened."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for message in self:
            link = message._get_html_link(title=self.env._("See the message"))
            if message.customs_file_id:
                text = Markup("%s (%s)") % (
                    self.env._("WhatsApp to %(number)s: %(state)s", number=message.number, state=labels[message.state]),
                    link,
                )
                if message.state == "failed":
                    text += Markup("<br/>%s") % self.env._(
                        "Error %(code)s: %(title)s", code=message.error_code, title=message.error_title
                    )
                message.customs_file_id.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")
            elif message.partner_id:
                if message.state == "failed":
                    what = self.env._("WhatsApp notification failed")
                else:
                    what = self.env._("WhatsApp notification sent")
                message.partner_id.sudo().message_post(
                    body=Markup("%s (%s)") % (what, link), subtype_xmlid="mail.mt_note"
                )

    # ------------------------------------------------------------------
    # Webhook
    # ------------------------------------------------------------------
    @api.model
    def _process_webhook(self, payload):
        """Apply a webhook body whose signature was verified: the changes of
        the accounts it names (see ``whatsapp.account._webhook_changes``)."""
        return self._apply_webhook(self.env["whatsapp.account"]._webhook_changes(payload) or [])

    @api.model
    def _apply_webhook(self, changes):
        """Delivery statuses and inbound messages of ``[(account, value)]``:
        each applies to its own account's messages only."""
        statuses, inbound = [], []
        for account, value in changes:
            statuses.extend((account, s) for s in value.get("statuses") or [] if isinstance(s, dict))
            inbound.extend((account, m) for m in value.get("messages") or [] if isinstance(m, dict))
        if statuses:
            self._apply_statuses(statuses)
        if inbound:
            self._receive(inbound)
        return True

    @api.model
    def _apply_statuses(self, statuses):
        """``[(account, status)]``. One query finds the messages (by wamid,
        unique index), whatever the number stored."""
        wamids = [s.get("id") for _account, s in statuses if isinstance(s.get("id"), str)]
        accounts = {account.id for account, _status in statuses}
        found = self.sudo().search_fetch(
            [("wamid", "in", wamids), ("account_id", "in", list(accounts))],
            ["account_id", "wamid", "state", "sent_date", "delivered_date", "read_date"],
        )
        messages = {(m.account_id.id, m.wamid): m for m in found}
        for account, status in statuses:
            message = messages.get((account.id, status.get("id")))
            new = status.get("status")
            if not message or new not in ("sent", "delivered", "read", "failed") or message.state == "received":
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
        """``[(account, message)]``: a message from a customer's number is
        recorded (its text only in the record), noted without its text in
        the customer's chatter, and opens the 24-hour window; BAJA / STOP
        puts the number on the phone blacklist. Meta repeats callbacks: a
        wamid already recorded is skipped."""
        Partner = self.env["res.partner"].sudo()
        wamids = [str(item.get("id")) for _account, item in inbound if item.get("id")]
        seen = set(self.sudo().search([("wamid", "in", wamids)]).mapped("wamid")) if wamids else set()
        for account, item in inbound:
            wamid = str(item.get("id") or "") or False
            if wamid and wamid in seen:
                continue
            number = "+" + "".join(c for c in str(item.get("from") or "") if c.isdigit())
            text_part = item.get("text") if isinstance(item.get("text"), dict) else {}
            button = item.get("button") if isinstance(item.get("button"), dict) else {}
            text = str(text_part.get("body") or button.get("text") or "").strip()
            partner = Partner._whatsapp_find_by_number(number)
            if not partner:
                _logger.info("WhatsApp message from an unknown number ignored (%s***)", number[:5])
                continue
            seen.add(wamid)
            when = _timestamp(item.get("timestamp"))
            message = self.sudo().create(
                {
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "number": number,
                    "event": "inbound",
                    "state": "received",
                    "body": text or "-",
                    "wamid": wamid,
                    "sent_date": when,
                }
            )
            if not partner.whatsapp_window_until or partner.whatsapp_window_until < when + WINDOW:
                partner.write({"whatsapp_window_until": when + WINDOW})
            link = message._get_html_link(title=self.env._("See the message"))
            partner.message_post(
                body=Markup("%s (%s)")
                % (self.env._("WhatsApp message received from %(number)s", number=mask_number(number)), link),
                subtype_xmlid="mail.mt_note",
            )
            word = text.upper().strip(" .!")
            if word in OPT_OUT_WORDS:
                self.env["phone.blacklist"].sudo()._add(
                    [number], message=self.env._("Asked not to receive WhatsApp messages (%(word)s).", word=word)
                )
                partner.message_post(
                    body=Markup("%s (%s)")
                    % (
                        self.env._(
                            "WhatsApp number %(number)s asked not to receive messages and is on the phone blacklist",
                            number=mask_number(number),
                        ),
                        link,
                    ),
                    subtype_xmlid="mail.mt_note",
                )


def mask_number(number):
    """A number as the customer's chatter shows it: its country code and
    last two digits (the whole number is readable with *Clientes: Ver*)."""
    return f"{number[:4]}…{number[-2:]}" if len(number) > 6 else "…"


def _timestamp(value):
    try:
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return fields.Datetime.now()
