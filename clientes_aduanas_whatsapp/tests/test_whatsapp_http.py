import hashlib
import hmac
import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import NUMBER_1, WhatsappHttpCase, status, statuses
from .fake_graph import FakeGraph

URL = "/whatsapp/webhook"


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestWhatsappWebhookHttp(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Cliente Webhook S.A.C.", notification_whatsapp=NUMBER_1)
        cls.message = cls.env["whatsapp.message"].create(
            {
                "account_id": cls.account.id,
                "partner_id": cls.customer.id,
                "number": NUMBER_1,
                "body": "Hola",
                "state": "sent",
                "wamid": "wamid.http.1",
            }
        )
        cls.body = json.dumps(statuses(status("wamid.http.1", "delivered", ts=1700000000))).encode()

    def _post(self, signature=None, body=None):
        headers = {"Content-Type": "application/json"}
        if signature:
            headers["X-Hub-Signature-256"] = signature
        return self.url_open(URL, data=body or self.body, headers=headers)

    def _sign(self, body, secret="app-secret-123"):
        return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    @mute_logger("odoo.addons.clientes_aduanas_whatsapp.controllers.main")
    def test_handshake(self):
        ok = self.url_open(f"{URL}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        self.assertEqual((ok.status_code, ok.text), (200, "1158201444"))
        for query in (
            "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=echo-me",
            "hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=echo-me",
            "hub.mode=subscribe&hub.challenge=echo-me",
        ):
            response = self.url_open(f"{URL}?{query}")
            self.assertEqual(response.status_code, 403, query)
            self.assertNotIn("echo-me", response.text, "the challenge is never echoed")

    @mute_logger("odoo.addons.clientes_aduanas_whatsapp.controllers.main")
    def test_post_signature(self):
        for signature in (None, "sha256=00", self._sign(self.body, "other-secret"), self._sign(self.body)[:-2] + "00"):
            response = self._post(signature)
            self.assertEqual(response.status_code, 403, signature)
            self.message.invalidate_recordset()
            self.assertEqual(self.message.state, "sent", "nothing written")
        tampered = self.body.replace(b"delivered", b"read")
        self.assertEqual(self._post(self._sign(self.body), body=tampered).status_code, 403)
        response = self._post(self._sign(self.body))
        self.assertEqual(response.status_code, 200)
        self.message.invalidate_recordset()
        self.assertEqual(self.message.state, "delivered")
        self.assertEqual(self._post(self._sign(self.body)).status_code, 200, "a repeated callback is fine")
        self.assertFalse(FakeGraph.sent)
