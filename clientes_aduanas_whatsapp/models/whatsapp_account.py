import logging
import re
import secrets

import requests

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from odoo.addons.clientes_aduanas.tools import rate_limit

_logger = logging.getLogger(__name__)

FILE_EVENTS = ("customs_file_state_changed", "customs_file_channel_assigned", "customs_file_released")
# Values a template's {{n}} can be filled with, per event.
PARAM_KEYS = {
    "customer_name": (*FILE_EVENTS, "invoice_posted", "manual", "manual_file"),
    "file_reference": (*FILE_EVENTS, "manual_file"),
    "file_state": (*FILE_EVENTS, "manual_file"),
    "file_portal_url": (*FILE_EVENTS, "manual_file"),
    "selectivity_channel": ("customs_file_channel_assigned",),
    "release_date": ("customs_file_released",),
    "invoice_number": ("invoice_posted",),
    "invoice_amount": ("invoice_posted",),
}
# The account's template and parameters of each notification event.
EVENT_SETTINGS = {
    "customs_file_state_changed": ("state_template_id", "state_template_params"),
    "customs_file_channel_assigned": ("channel_template_id", "channel_template_params"),
    "customs_file_released": ("release_template_id", "release_template_params"),
    "invoice_posted": ("invoice_template_id", "invoice_template_params"),
}
PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


class GraphError(Exception):
    """Meta's answer to a failed call: ``status`` (HTTP, 0 without an
    answer), Meta's error ``code`` and ``title``; ``retryable`` for 429, 5xx,
    timeouts and network errors."""

    def __init__(self, status, code, title, retryable):
        super().__init__(f"{status} {code} {title}")
        self.status = status
        self.code = code
        self.title = title
        self.retryable = retryable


def split_params(text):
    return [item.strip() for item in (text or "").split(",") if item.strip()]


class WhatsappAccount(models.Model):
    _name = "whatsapp.account"
    _description = "WhatsApp Business Account"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    phone_number_id = fields.Char(
        string="Phone Number ID", required=True, help="Meta's id of the sending number (WhatsApp Manager, API Setup)."
    )
    waba_id = fields.Char(string="WhatsApp Business Account ID", required=True, help="Owner of the message templates.")
    token = fields.Char(
        string="Access Token",
        groups="base.group_system",
        copy=False,
        help="Permanent token of a system user with the whatsapp_business_messaging permission.",
    )
    app_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Secret of the Meta app: signs every webhook call (X-Hub-Signature-256).",
    )
    verify_token = fields.Char(
        groups="base.group_system",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Paste it in Meta's webhook settings together with the callback URL.",
    )
    webhook_url = fields.Char(string="Callback URL", compute="_compute_webhook_url")
    api_url = fields.Char(string="Graph API URL", required=True, default="https://graph.facebook.com")
    api_version = fields.Char(string="Graph API Version", required=True, default="v21.0")
    timeout = fields.Float(default=10.0, help="Seconds to wait for Meta's answer.")
    rate_limit = fields.Integer(
        string="Messages per Minute",
        default=60,
        help="Sends per minute for all workers together; 0 means no limit.",
    )
    template_ids = fields.One2many("whatsapp.template", "account_id", string="Templates")
    state_template_id = fields.Many2one(
        "whatsapp.template",
        string="Customs File State Template",
        domain="[('account_id', '=', id), ('usable', '=', True)]",
        help="Sent to the customer's WhatsApp numbers when one of its customs files changes state.",
    )
    state_template_params = fields.Char(
        string="Customs File Parameters",
        help="Values of {{1}}, {{2}}... separated by commas: customer_name, file_reference, file_state, "
        "file_portal_url.",
    )
    channel_template_id = fields.Many2one(
        "whatsapp.template",
        string="Selectivity Channel Template",
        domain="[('account_id', '=', id), ('usable', '=', True)]",
        help="Sent to the customer's WhatsApp numbers when customs assigns a selectivity channel to one of its "
        "customs files.",
    )
    channel_template_params = fields.Char(
        string="Selectivity Channel Parameters",
        help="Values of {{1}}, {{2}}... separated by commas: customer_name, file_reference, file_state, "
        "file_portal_url, selectivity_channel.",
    )
    release_template_id = fields.Many2one(
        "whatsapp.template",
        string="Levante Template",
        domain="[('account_id', '=', id), ('usable', '=', True)]",
        help="Sent to the customer's WhatsApp numbers when the levante of one of its customs files is recorded; "
        "the move to released is then announced by this message alone.",
    )
    release_template_params = fields.Char(
        string="Levante Parameters",
        help="Values of {{1}}, {{2}}... separated by commas: customer_name, file_reference, file_state, "
        "file_portal_url, release_date.",
    )
    notify_invoices = fields.Boolean(string="Notify Posted Invoices")
    invoice_template_id = fields.Many2one(
        "whatsapp.template",
        domain="[('account_id', '=', id), ('usable', '=', True)]",
    )
    invoice_template_params = fields.Char(
        string="Invoice Parameters",
        help="Values of {{1}}, {{2}}... separated by commas: customer_name, invoice_number, invoice_amount.",
    )

    @api.depends("company_id")
    def _compute_webhook_url(self):
        for account in self:
            account.webhook_url = f"{account.get_base_url()}/whatsapp/webhook"

    # ------------------------------------------------------------------
    # Settings checks
    # ------------------------------------------------------------------
    @api.constrains(
        "state_template_id",
        "state_template_params",
        "channel_template_id",
        "channel_template_params",
        "release_template_id",
        "release_template_params",
        "notify_invoices",
        "invoice_template_id",
        "invoice_template_params",
    )
    def _check_event_params(self):
        for account in self:
            if account.notify_invoices and not account.invoice_template_id:
                raise ValidationError(self.env._("Choose the template of the invoice notification."))
            for event, (template_field, params_field) in EVENT_SETTINGS.items():
                account._check_params(account[template_field], account[params_field], event)

    def _event_template(self, event):
        """The template and parameter keys this account sends on ``event``,
        or an empty template when it sends nothing then."""
        self.ensure_one()
        template_field, params_field = EVENT_SETTINGS[event]
        template = self[template_field]
        if not template.usable or (event == "invoice_posted" and not self.notify_invoices):
            return template.browse(), []
        return template, split_params(self[params_field])

    def _check_params(self, template, params_text, event):
        """Every {{n}} of ``template`` gets exactly one known value of
        ``event``: Meta refuses a template sent with a parameter missing or
        empty."""
        if not template:
            return
        params = split_params(params_text)
        for key in params:
            if event not in PARAM_KEYS.get(key, ()):
                raise ValidationError(
                    self.env._(
                        "Template %(template)s: %(value)s is not a value of this notification; " "use: %(allowed)s.",
                        template=template.name,
                        value=key,
                        allowed=", ".join(k for k, events in PARAM_KEYS.items() if event in events),
                    )
                )
        if len(params) != template.param_count:
            raise ValidationError(
                self.env._(
                    "Template %(template)s has %(expected)s parameters and %(given)s values were given.",
                    template=template.name,
                    expected=template.param_count,
                    given=len(params),
                )
            )
        if not template.usable:
            raise ValidationError(
                self.env._("Template %(template)s is not approved or its quality is low.", template=template.name)
            )

    # ------------------------------------------------------------------
    # Graph API
    # ------------------------------------------------------------------
    def _graph_url(self, path):
        base = (self.api_url or "").rstrip("/")
        return f"{base}/{self.api_version.strip('/')}/{path.lstrip('/')}"

    def _graph_request(self, method, url, payload=None, params=None):
        """JSON answer of a Graph API call, or :class:`GraphError`. The token
        travels in the Authorization header only and is never logged."""
        self.ensure_one()
        token = self.sudo().token or ""
        try:
            response = requests.request(
                method,
                url,
                json=payload,
                params=params,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=(min(self.timeout or 10.0, 5.0), self.timeout or 10.0),
            )
        except requests.Timeout as err:
            raise GraphError(0, "timeout", self.env._("Meta did not answer in time."), True) from err
        except requests.RequestException as err:
            raise GraphError(0, "network", self.env._("Meta cannot be reached (no network)."), True) from err
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code < 400 and isinstance(data, dict):
            return data
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        code = str(error.get("code") or response.status_code)
        title = error.get("error_user_title") or error.get("message") or response.reason or ""
        details = (error.get("error_data") or {}).get("details") if isinstance(error.get("error_data"), dict) else ""
        if details and details not in title:
            title = f"{title}: {details}"
        retryable = response.status_code == 429 or response.status_code >= 500
        raise GraphError(response.status_code, code, str(title)[:250], retryable)

    def _explain(self, err):
        """What a failed call means for the user, in Spanish."""
        if err.status == 401 or err.code == "190":
            return self.env._("The access token is invalid or has expired: create a new one in Meta.")
        if err.status in (400, 404) and err.code in ("100", "404", "400"):
            return self.env._("Meta does not know this id (phone number or business account): check it.")
        if err.status == 0:
            return err.title
        return self.env._("Meta answered %(status)s: %(title)s", status=err.status, title=err.title)

    def action_test_connection(self):
        self.ensure_one()
        try:
            data = self._graph_request(
                "GET", self._graph_url(self.phone_number_id), params={"fields": "display_phone_number,verified_name"}
            )
        except GraphError as err:
            raise UserError(self.env._("Connection failed. %(reason)s", reason=self._explain(err))) from err
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Connection works"),
                "message": self.env._(
                    "Number %(number)s (%(name)s) is ready to send.",
                    number=data.get("display_phone_number") or self.phone_number_id,
                    name=data.get("verified_name") or "-",
                ),
            },
        }

    def action_sync_templates(self):
        """Read every page of the account's message templates and update
        the local copies (new ones created, changed ones updated)."""
        Template = self.env["whatsapp.template"]
        for account in self:
            url = account._graph_url(f"{account.waba_id}/message_templates")
            params = {"limit": 100, "fields": "id,name,language,category,status,quality_score,components"}
            remote = []
            pages = 0
            while url and pages < 100:
                try:
                    data = account._graph_request("GET", url, params=params)
                except GraphError as err:
                    raise UserError(
                        self.env._("Templates could not be read. %(reason)s", reason=account._explain(err))
                    ) from err
                remote.extend(item for item in data.get("data") or [] if isinstance(item, dict))
                url = (data.get("paging") or {}).get("next")
                params = None  # the next page's URL carries them, with its cursor
                pages += 1
            Template._sync_from_meta(account, remote)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Templates synchronised"),
                "message": self.env._("%(count)s templates read.", count=len(self.template_ids)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _take_rate_slot(self):
        """One send of this account's per-minute quota, shared by every
        worker (the lookup's limiter, see clientes_aduanas tools)."""
        self.ensure_one()
        return rate_limit.take(self.env.registry, f"{self._name},{self.id}", self.rate_limit)

    @api.model
    def _for_company(self, company):
        """The company's sending account (the first active one)."""
        return self.sudo().browse(self._account_id_for_company(company.id))

    @api.model
    @tools.ormcache("company_id")
    def _account_id_for_company(self, company_id):
        # Read on every customs-file change: cached, cleared when an account
        # is created, changes company, order or activity, or is deleted.
        return self.sudo().search([("company_id", "=", company_id)], limit=1).id or None

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if {"company_id", "active", "sequence"} & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _webhook_changes(self, payload):
        """The changes of a webhook body, each with the account it is for:
        ``[(account, value)]``. Meta names the account of each change by its
        entry's ``id`` (the WhatsApp Business account) and the value's
        ``metadata.phone_number_id``. None when a change names no active
        account (or several): the caller refuses the whole body."""
        found = []
        entries = payload.get("entry") if isinstance(payload, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            changes = entry.get("changes") if isinstance(entry, dict) else None
            for change in changes if isinstance(changes, list) else []:
                value = change.get("value") if isinstance(change, dict) else None
                if not isinstance(value, dict):
                    continue
                metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
                found.append((str(entry.get("id") or ""), str(metadata.get("phone_number_id") or ""), value))
        if not found:
            return None
        # One query: the accounts and their secrets (the caller verifies the
        # signature with the secret of the account each change is for).
        accounts = self.sudo().search_fetch(
            [("waba_id", "in", list({waba for waba, _phone, _value in found}))],
            ["waba_id", "phone_number_id", "app_secret"],
        )
        result = []
        for waba, phone, value in found:
            account = accounts.filtered(lambda a, w=waba, p=phone: a.waba_id == w and (a.phone_number_id == p or not p))
            if len(account) != 1:
                return None
            result.append((account, value))
        return result
