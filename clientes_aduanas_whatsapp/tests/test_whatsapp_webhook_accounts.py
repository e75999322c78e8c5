import hashlib
import hmac
import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.clientes_aduanas.tests.common import CustomerDataMixin

from .common import NUMBER_1, WhatsappSetupMixin
from .fake_graph import PHONE_ID, WABA_ID

URL = "/whatsapp/webhook"
SECRET_A = "app-secret-123"
SECRET_B = "secret-of-agencia-norte"
WABA_B, PHONE_B = "990011223344", "880011223344"


def sign(body, secret):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def change(waba, phone, **value):
    return {"id": waba, "changes": [{"field": "messages", "value": {"metadata": {"phone_number_id": phone}, **value}}]}


def body(*entries):
    return json.dumps({"object": "whatsapp_business_account", "entry": list(entries)}).encode()


def delivered(wamid):
    return {"statuses": [{"id": wamid, "status": "delivered", "timestamp": "1700000000"}]}


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestWhatsappWebhookAccounts(WhatsappSetupMixin, CustomerDataMixin, HttpCase):
    """Each call is verified with the app secret of the account it names
    (entry id and phone number id), never with another account's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_customer_data()
        cls._start_fake_graph()
        cls.account_a = cls._setup_whatsapp(cls.env)
        company_b = cls.env["res.company"].create({"name": "Agencia Norte"})
        cls.account_b = cls.env["whatsapp.account"].create(
            {
                "name": "Agencia Norte",
                "company_id": company_b.id,
                "phone_number_id": PHONE_B,
                "waba_id": WABA_B,
                "app_secret": SECRET_B,
                "api_url": cls.graph_url,
            }
        )
        cls.customer = cls._create_customer(name="Cliente Dos Cuentas S.A.C.", notification_whatsapp=NUMBER_1)
        Message = cls.env["whatsapp.message"]
        vals = {"partner_id": cls.customer.id, "number": NUMBER_1, "body": "Hola", "state": "sent"}
        cls.message_a = Message.create({**vals, "account_id": cls.account_a.id, "wamid": "wamid.A.1"})
        cls.message_b = Message.create({**vals, "account_id": cls.account_b.id, "wamid": "wamid.B.1"})

    def _post(self, data, secret):
        return self.url_open(
            URL, data=data, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(data, secret)}
        )

    def _states(self):
        (self.message_a | self.message_b).invalidate_recordset()
        return self.message_a.state, self.message_b.state

    def _written(self):
        self.env.invalidate_all()
        return self.env["whatsapp.message"].search_count([("event", "=", "inbound")]), self._states()

    @mute_logger("odoo.addons.clientes_aduanas_whatsapp.controllers.main")
    def test_body_of_one_account_signed_with_another_secret(self):
        data = body(change(WABA_ID, PHONE_ID, **delivered("wamid.A.1")))
        self.assertEqual(self._post(data, SECRET_B).status_code, 403)
        self.assertEqual(self._states(), ("sent", "sent"), "nothing written")
        inbound = body(
            change(
                WABA_ID,
                PHONE_ID,
                messages=[
                    {"from": NUMBER_1.lstrip("+"), "id": "wamid.in.x", "timestamp": "1", "text": {"body": "BAJA"}}
                ],
            )
        )
        self.assertEqual(self._post(inbound, SECRET_B).status_code, 403)
        self.assertEqual(self._written(), (0, ("sent", "sent")))
        self.assertFalse(self.env["phone.blacklist"].sudo().search([("number", "=", NUMBER_1)]))
        # Signed with its own account's secret, the same bodies are applied.
        self.assertEqual(self._post(data, SECRET_A).status_code, 200)
        self.assertEqual(self._states(), ("delivered", "sent"))
        self.assertEqual(self._post(inbound, SECRET_A).status_code, 200)
        self.assertEqual(self._written()[0], 1)

    @mute_logger("odoo.addons.clientes_aduanas_whatsapp.controllers.main")
    def test_unknown_or_mismatched_account_refused(self):
        for entry in (
            change("111111111111", PHONE_ID, **delivered("wamid.A.1")),  # unknown business account
            change(WABA_B, PHONE_ID, **delivered("wamid.A.1")),  # B's account, A's number
            {"changes": [{"value": delivered("wamid.A.1")}]},  # no account named
        ):
            for secret in (SECRET_A, SECRET_B):
                self.assertEqual(self._post(body(entry), secret).status_code, 403, (entry, secret))
        self.assertEqual(self._states(), ("sent", "sent"))
        self.assertEqual(self._post(b"not json", SECRET_A).status_code, 403)

    @mute_logger("odoo.addons.clientes_aduanas_whatsapp.controllers.main")
    def test_body_naming_two_accounts_needs_both_secrets(self):
        data = body(
            change(WABA_ID, PHONE_ID, **delivered("wamid.A.1")), change(WABA_B, PHONE_B, **delivered("wamid.B.1"))
        )
        for secret in (SECRET_A, SECRET_B):
            self.assertEqual(self._post(data, secret).status_code, 403)
        self.assertEqual(self._states(), ("sent", "sent"))

    def test_statuses_apply_to_the_accounts_own_messages(self):
        """B's correctly signed call cannot move A's message, even with its
        wamid."""
        data = body(change(WABA_B, PHONE_B, **delivered("wamid.A.1")))
        self.assertEqual(self._post(data, SECRET_B).status_code, 200)
        self.assertEqual(self._states(), ("sent", "sent"))
        data = body(change(WABA_B, PHONE_B, **delivered("wamid.B.1")))
        self.assertEqual(self._post(data, SECRET_B).status_code, 200)
        self.assertEqual(self._states(), ("sent", "delivered"))
