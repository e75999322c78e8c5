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
        """Delivery statuses and inbound messages. Nothing is read, let
        alone written, before the signature is verified."""
        body = request.httprequest.get_data()
        header = request.httprequest.headers.get("X-Hub-Signature-256", "")
        secrets = request.env["whatsapp.account"].sudo().search([]).mapped("app_secret")
        if not any(valid_signature(secret, body, header) for secret in secrets):
            _logger.warning("WhatsApp webhook call refused: missing or wrong signature")
            raise Forbidden()
        try:
            payload = json.loads(body)
        except ValueError:
            _logger.warning("WhatsApp webhook call ignored: the body is not JSON")
            return request.make_json_response({"status": "ignored"})
        request.env["whatsapp.message"].sudo()._process_webhook(payload)
        return request.make_json_response({"status": "ok"})
