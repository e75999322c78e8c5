import json
import logging
import os
import re
import threading
import time
import zipfile

import requests

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from ..tools import document_number as dn
from ..tools import rate_limit, sunat_padron, sunat_status

_logger = logging.getLogger(__name__)

# Our result keys: what a provider's answer is mapped to.
RESULT_KEYS = (
    "vat",
    "name",
    "first_names",
    "last_name_1",
    "last_name_2",
    "street",
    "ubigeo",
    "state_name",
    "province",
    "district",
    "taxpayer_state",
    "taxpayer_condition",
)
MAX_TEXT = 250
_TAG = re.compile(r"<[^>]*>")

# Requests per provider and minute, shared by every worker and machine
# (see tools/rate_limit.py).
RATE_TABLE = rate_limit.TABLE
MAX_RETRIES = 5
DEFAULT_TIME_BUDGET = 10.0
PARAM_PADRON_DIRECTORY = "clientes_aduanas.padron_directory"

# One requests.Session per worker thread (sessions are not thread-safe):
# it keeps the TLS connection to a provider alive between lookups, and a new
# handshake costs more than the lookup itself.
_SESSIONS = threading.local()

# Query parameters that carried a token in this process, so that the
# filter below can hide their values.
_SECRET_PARAMS = {"token"}


class _TokenRedactingFilter(logging.Filter):
    """urllib3 logs each request line, query string included, at DEBUG
    level: a token sent as a query parameter must not reach the logs."""

    def filter(self, record):
        message = record.getMessage()
        if "?" in message:
            names = "|".join(re.escape(name) for name in tuple(_SECRET_PARAMS))
            redacted = re.sub(rf"([?&](?:{names})=)[^&\s\"']*", r"\1***", message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_TokenRedactingFilter())


def _session():
    session = getattr(_SESSIONS, "session", None)
    if session is None:
        session = _SESSIONS.session = requests.Session()
    return session


class LookupFailure(Exception):
    """A provider could not answer; ``message`` is for the user."""

    def __init__(self, message, not_found=False):
        super().__init__(message)
        self.message = message
        self.not_found = not_found


def _dig(data, path):
    """Value at a dotted ``path`` of a JSON answer (``data.nombre``)."""
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def sanitize(value):
    """Provider text is not trusted: no markup, no control characters,
    trimmed and bounded."""
    if value is None or isinstance(value, dict | list):
        return ""
    text = str(value)
    if "<" in text:
        text = html2plaintext(_TAG.sub(" ", re.sub(r"(?is)<(script|style).*?</\1>", " ", text)))
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    return " ".join(text.split())[:MAX_TEXT]


class DocumentLookupProvider(models.Model):
    _name = "document.lookup.provider"
    _description = "Document Lookup Provider"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10, help="Providers are tried in this order; the next one on failure.")
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("http_json", "HTTP JSON service"), ("sunat_padron", "SUNAT padrón (offline)")],
        required=True,
        default="http_json",
    )
    document_type_ids = fields.Many2many(
        "l10n_latam.identification.type",
        string="Document Types",
        help="Document types this provider can look up.",
    )
    base_url = fields.Char(string="Base URL", help="e.g. https://api.apis.net.pe")
    http_method = fields.Selection([("GET", "GET"), ("POST", "POST")], default="GET", required=True)
    ruc_path = fields.Char(string="RUC Path", help="Path for RUC, with {number}, e.g. /v2/sunat/ruc?numero={number}")
    dni_path = fields.Char(string="DNI Path", help="Path for DNI, with {number}.")
    body_template = fields.Char(help='JSON body for POST, with {number}, e.g. {"ruc": "{number}"}')
    auth_style = fields.Selection(
        [("bearer", "Authorization: Bearer header"), ("query", "Token in the query string"), ("none", "No token")],
        default="bearer",
        required=True,
    )
    token_param = fields.Char(default="token", help="Query parameter that carries the token.")
    token = fields.Char(groups="base.group_system", copy=False)
    connect_timeout = fields.Float(default=3.0, help="Seconds to wait for the connection.")
    read_timeout = fields.Float(default=5.0, help="Seconds to wait for the answer.")
    max_retries = fields.Integer(
        default=2, help="Retries on HTTP 429 and 5xx only, from 0 to 5, within the lookup's total time budget."
    )
    backoff = fields.Float(default=0.5, help="Seconds before the first retry; doubled each time.")
    rate_limit = fields.Integer(string="Requests per Minute", default=60, help="0 means no limit.")
    ruc_mapping = fields.Text(
        string="RUC Field Mapping",
        help="JSON object: our key → dotted path in the provider's answer. Keys: " + ", ".join(RESULT_KEYS),
    )
    dni_mapping = fields.Text(string="DNI Field Mapping", help="Same as the RUC mapping, for DNI answers.")
    padron_loaded_on = fields.Datetime(string="Padrón Loaded On", readonly=True)
    padron_rows = fields.Integer(string="Padrón Rows", readonly=True)
    padron_report = fields.Text(string="Last Load Report", readonly=True)

    _sql_constraints = [
        (
            "max_retries_range",
            f"CHECK(max_retries >= 0 AND max_retries <= {MAX_RETRIES})",
            "Retries must be between 0 and 5.",
        ),
    ]

    @api.constrains("ruc_mapping", "dni_mapping")
    def _check_mappings(self):
        for provider in self:
            for field_name in ("ruc_mapping", "dni_mapping"):
                raw = provider[field_name]
                if not raw:
                    continue
                try:
                    mapping = json.loads(raw)
                except ValueError as err:
                    raise ValidationError(
                        self.env._("%(field)s is not valid JSON.", field=self._fields[field_name].string)
                    ) from err
                if not isinstance(mapping, dict) or set(mapping) - set(RESULT_KEYS):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must map these keys only: %(keys)s.",
                            field=self._fields[field_name].string,
                            keys=", ".join(RESULT_KEYS),
                        )
                    )
                for spec in mapping.values():
                    specs = spec if isinstance(spec, list) else [spec]
                    if not specs or not all(isinstance(item, str) and item for item in specs):
                        raise ValidationError(
                            self.env._(
                                "%(field)s: each key maps to a dotted path or a list of paths, e.g. "
                                '{"name": "razonSocial"}.',
                                field=self._fields[field_name].string,
                            )
                        )

    def _render_request(self, path, number):
        """URL and JSON body of a request for ``number``; raises ValueError,
        KeyError or IndexError on a malformed path or body template."""
        url = (self.base_url or "").rstrip("/") + path.format(number=number)
        body = json.loads(self.body_template.replace("{number}", number)) if self.body_template else None
        return url, body

    @api.constrains("ruc_path", "dni_path", "body_template")
    def _check_request_settings(self):
        """Each request a provider would send must render: the body first, so
        that a broken body is not reported as a broken path."""
        for provider in self:
            if provider.body_template:
                try:
                    provider._render_request("", "12345678")
                except ValueError as err:
                    raise ValidationError(
                        self.env._(
                            'The body template must be JSON once {number} is replaced, e.g. {"ruc": "{number}"}.'
                        )
                    ) from err
            for field_name in ("ruc_path", "dni_path"):
                path = provider[field_name]
                if not path:
                    continue
                try:
                    provider._render_request(path, "12345678")
                except (ValueError, KeyError, IndexError) as err:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a path where {number} stands for the document number "
                            "(no other braces), e.g. /v2/sunat/ruc?numero={number}.",
                            field=self._fields[field_name].string,
                        )
                    ) from err

    @api.model
    def _set_document_types_by_code(self, codes_by_xmlid):
        IdType = self.env["l10n_latam.identification.type"]
        for xmlid, codes in codes_by_xmlid.items():
            provider = self.env.ref(xmlid, raise_if_not_found=False)
            if provider:
                types = IdType.browse([IdType._get_by_document_code(code).id for code in codes])
                provider.document_type_ids = [Command.set(types.ids)]
        return True

    def init(self):
        res = super().init()
        sunat_padron.create_table(self.env.cr)
        rate_limit.create_table(self.env.cr)
        return res

    # ------------------------------------------------------------------
    # Service
    # ------------------------------------------------------------------
    @api.model
    def _cache_ttl(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            float(params.get_param("clientes_aduanas.lookup_cache_hours", 24)) * 3600,
            float(params.get_param("clientes_aduanas.lookup_not_found_minutes", 10)) * 60,
        )

    @api.model
    def _time_budget(self):
        """Seconds one lookup may take across all its retries and providers."""
        value = self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.lookup_time_budget")
        try:
            budget = float(value) if value else DEFAULT_TIME_BUDGET
        except ValueError:
            budget = DEFAULT_TIME_BUDGET
        return budget if budget > 0 else DEFAULT_TIME_BUDGET

    @api.model
    def _lookup(self, code, number):
        """Look ``number`` (document kind ``code``) up: cache, then every
        active provider in order. Returns a dict of sanitised values with
        the keys of RESULT_KEYS plus ``provider``. Raises UserError with a
        Spanish-translatable message when nothing can be found."""
        id_type = self.env["l10n_latam.identification.type"]._get_by_document_code(code)
        try:
            number = dn.validate(code, number)
        except dn.DocumentNumberError as err:
            # Checked locally first: no request for a number that cannot exist.
            raise UserError(self.env["res.partner"]._document_error_message(err, id_type.name)) from err
        Cache = self.env["document.lookup.cache"].sudo()
        # A caller may ask one kind of source only, fresh (the padrón
        # comparison of a customer): the cache may hold another source's answer.
        only_kind = self.env.context.get("document_lookup_kind")
        cached = None if only_kind else Cache._get(code, number, *self._cache_ttl())
        if cached is not None:
            if not cached["found"]:
                raise UserError(self._not_found_message(id_type, number))
            return cached["payload"]
        domain = [("document_type_ids", "in", id_type.ids)]
        if only_kind:
            domain.append(("kind", "=", only_kind))
        providers = self.sudo().search(domain)
        if not providers:
            raise UserError(
                self.env._(
                    "No lookup source is configured for %(type)s numbers: type the customer's data by hand.",
                    type=id_type.name or code,
                )
            )
        failures = []
        budget = self._time_budget()
        deadline = time.monotonic() + budget
        for provider in providers:
            try:
                if time.monotonic() >= deadline:
                    raise LookupFailure(self._budget_message(budget))
                result = provider.with_context(document_lookup_deadline=(deadline, budget))._lookup_one(code, number)
            except LookupFailure as failure:
                _logger.info("Lookup %s %s with %s failed: %s", code, number, provider.name, failure.message)
                failures.append(failure)
                continue
            result["provider"] = provider.name
            result["provider_id"] = provider.id
            Cache._store(code, number, provider, True, result)
            return result
        details = "\n".join(f"- {p.name}: {f.message}" for p, f in zip(providers, failures, strict=True))
        if all(f.not_found for f in failures):
            # Every source says it does not exist: remember it briefly (kept
            # when the caller handles the error, as the search button does).
            Cache._store(code, number, self.browse(), False, {})
            raise UserError(self._not_found_message(id_type, number) + "\n" + details)
        raise UserError(self.env._("The lookup failed; you can type the data by hand.") + "\n" + details)

    @api.model
    def _budget_message(self, budget):
        seconds = f"{budget:g}"  # not inside the call: the string extractor cannot read f-strings
        return self.env._("the time allowed for one lookup (%(seconds)s s) ran out.", seconds=seconds)

    def _remaining_time(self):
        """Seconds left of the current lookup's time budget (None: no budget)."""
        deadline = self.env.context.get("document_lookup_deadline")
        if not deadline:
            return None
        remaining = deadline[0] - time.monotonic()
        if remaining <= 0:
            raise LookupFailure(self._budget_message(deadline[1]))
        return remaining

    @api.model
    def _taxpayer_warning(self, state, condition):
        """Text warning that a RUC is not ACTIVO or not HABIDO (the rule of
        tools/sunat_status.py), or False."""
        if not sunat_status.is_observed(state, condition):
            return False
        problems = []
        if not sunat_status.state_ok(state):
            problems.append(self.env._("the taxpayer is %(state)s, not ACTIVO", state=(state or "").strip() or "-"))
        if not sunat_status.condition_ok(condition):
            problems.append(
                self.env._("the address is %(condition)s, not HABIDO", condition=(condition or "").strip() or "-")
            )
        return self.env._("Warning: %(problems)s.", problems="; ".join(problems)) if problems else False

    @api.model
    def _not_found_message(self, id_type, number):
        return self.env._(
            "%(type)s %(number)s was not found in the configured sources: type the data by hand.",
            type=id_type.name,
            number=number,
        )

    def _lookup_one(self, code, number):
        self.ensure_one()
        method = getattr(self, f"_lookup_{self.kind}", None)
        if method is None:
            raise LookupFailure(self.env._("This provider kind cannot look documents up."))
        raw = method(code, number)
        result = {key: sanitize(raw.get(key)) for key in RESULT_KEYS}
        if not result["name"] and (result["first_names"] or result["last_name_1"]):
            result["name"] = " ".join(
                p for p in (result["first_names"], result["last_name_1"], result["last_name_2"]) if p
            )
        if not result["name"]:
            raise LookupFailure(self.env._("the answer has no name: unexpected format."))
        returned = dn.normalize(result["vat"]) if result["vat"] else number
        if returned != number:
            raise LookupFailure(self.env._("the answer is for another number (%(other)s).", other=returned[:20]))
        result["vat"] = number
        return result

    # ------------------------------------------------------------------
    # Kind: HTTP JSON (requests)
    # ------------------------------------------------------------------
    def _redact(self, text):
        token = self.sudo().token
        return text.replace(token, "***") if token else text

    def _check_rate_limit(self):
        """Count one request against the provider's limit for the current
        minute, for all workers together (see tools/rate_limit.py)."""
        if not rate_limit.take(self.env.registry, f"{self._name},{self.id}", self.rate_limit):
            raise LookupFailure(
                self.env._("the limit of %(limit)s requests per minute was reached.", limit=self.rate_limit)
            )

    def _lookup_http_json(self, code, number):
        path = {dn.PE_RUC: self.ruc_path, dn.PE_DNI: self.dni_path}.get(code)
        mapping_text = {dn.PE_RUC: self.ruc_mapping, dn.PE_DNI: self.dni_mapping}.get(code)
        if not (self.base_url and path and mapping_text):
            raise LookupFailure(self.env._("not configured for this document type."))
        token = self.sudo().token or ""
        try:
            url, body = self._render_request(path, number)
            mapping = json.loads(mapping_text)
        except (ValueError, KeyError, IndexError, AttributeError) as err:
            raise LookupFailure(self.env._("its settings (path, body template or mapping) are malformed.")) from err
        headers = {"Accept": "application/json", "User-Agent": "Odoo clientes_aduanas"}
        params = {}
        if self.auth_style == "bearer" and token:
            headers["Authorization"] = f"Bearer {token}"
        elif self.auth_style == "query" and token:
            params[self.token_param or "token"] = token
            _SECRET_PARAMS.add(self.token_param or "token")
        response = self._http_request(url, headers, params, body)
        try:
            data = response.json()
        except ValueError as err:
            raise LookupFailure(self.env._("the answer is not valid JSON.")) from err
        if not isinstance(data, dict):
            raise LookupFailure(self.env._("unexpected answer format."))
        result = {}
        try:
            for key, path_spec in mapping.items():
                paths = path_spec if isinstance(path_spec, list) else [path_spec]
                values = [_dig(data, p) for p in paths]
                result[key] = " ".join(str(v) for v in values if v not in (None, ""))
        except (AttributeError, TypeError) as err:
            raise LookupFailure(self.env._("its settings (path, body template or mapping) are malformed.")) from err
        if data.get("success") is False or not any(result.values()):
            raise LookupFailure(self.env._("not found."), not_found=True)
        return result

    def _http_request(self, url, headers, params, body):
        attempts = min(max(0, self.max_retries), MAX_RETRIES) + 1
        safe_url = self._redact(url)
        for attempt in range(attempts):
            # Each attempt waits at most what is left of the lookup's budget.
            remaining = self._remaining_time()
            connect, read = self.connect_timeout or 3.0, self.read_timeout or 5.0
            if remaining is not None:
                connect, read = min(connect, remaining), min(read, remaining)
            self._check_rate_limit()
            try:
                response = _session().request(
                    self.http_method,
                    url,
                    headers=headers,
                    params=params,
                    json=body,
                    timeout=(connect, read),
                    allow_redirects=False,
                )
            except requests.Timeout as err:
                if remaining is not None and remaining < max(self.connect_timeout or 3.0, self.read_timeout or 5.0):
                    # Cut short by the lookup's budget, not by the provider's own timeouts.
                    raise LookupFailure(self._budget_message(self.env.context["document_lookup_deadline"][1])) from err
                raise LookupFailure(self.env._("the service did not answer in time.")) from err
            except requests.ConnectionError as err:
                raise LookupFailure(self.env._("the service cannot be reached.")) from err
            except requests.RequestException as err:
                raise LookupFailure(self.env._("the request failed.")) from err
            status = response.status_code
            _logger.debug("Lookup %s %s -> %s", self.http_method, safe_url, status)
            if (status == 429 or status >= 500) and attempt + 1 < attempts:
                pause = self.backoff * (2**attempt)
                remaining = self._remaining_time()
                if remaining is None or pause < remaining:
                    time.sleep(pause)
                    continue
            if status == 404:
                raise LookupFailure(self.env._("not found."), not_found=True)
            if status in (401, 403):
                raise LookupFailure(self.env._("the service refused the token (HTTP %(status)s).", status=status))
            if status == 429:
                raise LookupFailure(self.env._("the service limits the number of queries: try again in a minute."))
            if status >= 500:
                raise LookupFailure(self.env._("the service has an internal error (HTTP %(status)s).", status=status))
            if status != 200:
                raise LookupFailure(self.env._("unexpected HTTP status %(status)s.", status=status))
            return response
        raise LookupFailure(self.env._("the request failed."))

    # ------------------------------------------------------------------
    # Kind: SUNAT padrón (offline table)
    # ------------------------------------------------------------------
    def _lookup_sunat_padron(self, code, number):
        if code != dn.PE_RUC:
            raise LookupFailure(self.env._("the padrón only has RUC numbers."))
        row = sunat_padron.lookup(self.env.cr, number)
        if not row:
            raise LookupFailure(self.env._("not found in the padrón."), not_found=True)
        return row

    @api.model
    def _padron_server_path(self, path):
        """The real path of ``path`` when it lies inside the padrón directory
        the administrator configured; refused otherwise with one message
        that says nothing about whether the file exists."""
        directory = self.env["ir.config_parameter"].sudo().get_param(PARAM_PADRON_DIRECTORY)
        if directory and path:
            base = os.path.realpath(directory)
            # realpath resolves "..", and symbolic links leading out of it.
            full = os.path.realpath(os.path.join(base, path.strip()))
            if full != base and os.path.commonpath([base, full]) == base:
                return full
        raise UserError(
            self.env._(
                "Only files inside the padrón directory set in Settings > Customers > Document Lookup can be "
                "loaded from the server."
            )
        )

    def _load_padron_file(self, path):
        """Load or refresh the offline padrón from a .zip or .txt file on
        the server, inside the configured padrón directory."""
        self.ensure_one()
        self._check_padron_loader()
        full = self._padron_server_path(path)
        return self._load_padron_path(full, os.path.basename(full))

    def _check_padron_loader(self):
        if not self.env.is_admin():
            raise UserError(self.env._("Only administrators can load the SUNAT padrón."))

    def _load_padron_path(self, path, label):
        """Load the padrón from ``path`` (already allowed: a file of the
        padrón directory or the temporary copy of an upload), then check
        every registered customer against it before it goes live."""
        self.ensure_one()
        self._check_padron_loader()
        Load = self.env["sunat.padron.load"].sudo()
        try:
            sunat_padron.lock(self.env.cr)
        except sunat_padron.PadronBusyError as err:
            raise UserError(
                self.env._(
                    "Another load of the SUNAT padrón is running, or has just finished: %(path)s was not loaded. "
                    "The padrón in use has not changed; look at the padrón loads and try again when it ends.",
                    path=label,
                )
            ) from err
        Load._close_interrupted_attempts()
        try:
            stream = sunat_padron.open_padron(path)
        except (OSError, zipfile.BadZipFile, IndexError) as err:
            raise UserError(self.env._("Cannot open %(path)s.", path=label)) from err
        token = Load._begin_attempt(self, label)
        outcome = {}

        def check_customers(table, stats):
            outcome["summary"] = self.env["res.partner"]._sunat_check_against_padron(table, self)
            outcome["load"] = self._record_padron_load(label, stats, outcome["summary"], token)

        try:
            with stream:
                stats = sunat_padron.load(self.env.cr, stream, before_swap=check_customers)
        except sunat_padron.PadronEmptyError as err:
            raise UserError(
                self.env._(
                    "%(path)s has no usable row of the SUNAT padrón (%(read)s lines read); "
                    "the padrón was left as it was.",
                    path=label,
                    read=err.stats.read,
                )
            ) from err
        except (OSError, zipfile.BadZipFile, EOFError) as err:
            # A truncated or corrupt archive: the transaction is rolled back,
            # the live table is untouched.
            raise UserError(
                self.env._("%(path)s is damaged or truncated; the padrón was left as it was.", path=label)
            ) from err
        stats.summary = outcome["summary"]
        stats.load_record = outcome["load"]
        return stats

    def _record_padron_load(self, label, stats, summary, token=False):
        report = self.env._(
            "Read %(read)s rows, loaded %(loaded)s. Skipped: %(fields)s with missing or extra fields, "
            "%(encoding)s with unreadable characters, %(ruc)s with an invalid RUC; %(dups)s duplicated RUCs "
            "(first kept).",
            read=stats.read,
            loaded=stats.loaded,
            fields=stats.skipped["fields"],
            encoding=stats.skipped["encoding"],
            ruc=stats.skipped["ruc"],
            dups=stats.duplicates,
        )
        examples = [f"{reason}: {', '.join(items)}" for reason, items in stats.examples.items() if items]
        if stats.duplicate_examples:
            examples.append("duplicated: " + ", ".join(stats.duplicate_examples))
        customers = self.env._(
            "Customers checked: %(checked)s; status changed: %(changed)s; observed (not ACTIVO / HABIDO): "
            "%(observed)s, %(new)s of them new; absent from the padrón: %(absent)s; name or address to review: "
            "%(differs)s.",
            checked=summary["checked"],
            changed=summary["changed"],
            observed=summary["observed"],
            new=summary["newly_observed"],
            absent=summary["absent"],
            differs=summary["differs"],
        )
        full_report = "\n".join([report, *examples, customers])
        self.write(
            {
                "active": True,
                "padron_loaded_on": fields.Datetime.now(),
                "padron_rows": stats.loaded,
                "padron_report": full_report,
            }
        )
        self.env["document.lookup.cache"].sudo().search([("code", "=", dn.PE_RUC)]).unlink()
        return (
            self.env["sunat.padron.load"]
            .sudo()
            .create(
                {
                    "provider_id": self.id,
                    "file_name": label,
                    "attempt_token": token,
                    "rows_read": stats.read,
                    "rows_loaded": stats.loaded,
                    "report": full_report,
                    "customers_checked": summary["checked"],
                    "customers_changed": summary["changed"],
                    "customers_observed": summary["observed"],
                    "customers_newly_observed": summary["newly_observed"],
                    "customers_absent": summary["absent"],
                    "customers_differing": summary["differs"],
                    "absent_examples": ", ".join(summary["absent_examples"]),
                }
            )
        )

    def action_view_padron_loads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clientes_aduanas.sunat_padron_load_action")
        action["domain"] = [("provider_id", "=", self.id)]
        return action

    def action_open_padron_load_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Load SUNAT Padrón"),
            "res_model": "sunat.padron.load.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_provider_id": self.id},
        }

    @api.model
    def _cron_refresh_padron(self):
        path = self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.padron_path")
        # The shipped provider is inactive until its first load.
        provider = self.with_context(active_test=False).search([("kind", "=", "sunat_padron")], limit=1)
        if path and provider:
            try:
                sunat_padron.lock(self.env.cr)
            except sunat_padron.PadronBusyError:
                # Another load holds the padrón (an administrator's): the
                # job did not fail, the next run loads the file.
                _logger.info("Daily SUNAT padrón load skipped: another load is running.")
                return
            provider._load_padron_file(path)
