import hashlib
import hmac
import json
import logging

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


def valid_signature(secret, body, header):
    """Whether ``header`` (``sha256=<hex>``) is the HMAC-SHA256 of the raw
    ``body`` with the app ``secret``, compared in constant time."""
    if not (secret and header and header.startswith("sha256=")):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    # As bytes: compare_digest raises on a str with non-ASCII characters,
    # which a forged header may carry.
    return hmac.compare_digest(header[len("sha256=") :].encode(), expected.encode())


class WhatsappWebhook(http.Controller):
    _webhook_url = "/whatsapp/webhook"

    @http.route(_webhook_url, type="http", methods=["GET"], auth="public", csrf=False, save_session=False)
    def whatsapp_verify(self, **params):
        """Meta's subscription handshake: echo ``hub.challenge`` when the
        verify token is one of an active account's."""
        token = params.get("hub.verify_token")
        if params.get("hub.mode") != "subscribe" or not token:
            raise Forbidden()
        accounts = request.env["whatsapp.account"].sudo().search([])
        if not any(hmac.compare_digest(token.encode(), (account.verify_token or "").encode()) for account in accounts):
            _logger.warning("WhatsApp webhook handshake refused: unknown verify token")
            raise Forbidden()
        return request.make_response(params.get("hub.challenge") or "", headers=[("Content-Type", "text/plain")])

    @http.route(_webhook_url, type="http", methods=["POST"], auth="public", csrf=False, save_session=False)
    def whatsapp_webhook(self):
        """Delivery statuses and inbound messages. Each change of the body
        names its account (business account id and phone number id); the
        body is accepted only when it is signed with the app secret of every
        account it names. Nothing is written before that."""
        body = request.httprequest.get_data()
        header = request.httprequest.headers.get("X-Hub-Signature-256", "")
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        changes = request.env["whatsapp.account"].sudo()._webhook_changes(payload)
        if not changes:
            _logger.warning("WhatsApp webhook call refused: no known account in the body")
            raise Forbidden()
        accounts = {account for account, _value in changes}
        if not all(valid_signature(account.app_secret, body, header) for account in accounts):
            _logger.warning("WhatsApp webhook call refused: missing or wrong signature")
            raise Forbidden()
        request.env["whatsapp.message"].sudo()._apply_webhook(changes)
        return request.make_json_response({"status": "ok"})
