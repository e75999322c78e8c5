import time

from odoo.tests import tagged

from .common import NUMBER_1, NUMBER_2, WhatsappCase, inbound, status, statuses, trap_sends

DIGITS_1 = NUMBER_1.lstrip("+")


@tagged("post_install", "-at_install")
class TestWhatsappWebhookLogic(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.message = cls.env["whatsapp.message"].create(
            {
                "account_id": cls.account.id,
                "partner_id": cls.customer.id,
                "number": NUMBER_1,
                "template_id": cls.account.state_template_id.id,
                "params": ["a", "b", "c"],
                "body": "Hola",
                "state": "sent",
                "wamid": "wamid.HBgLNTE5ODc2NTAwMDEVAgARGBI",
            }
        )

    def _apply(self, payload):
        self.env["whatsapp.message"]._process_webhook(payload)
        self.message.invalidate_recordset()

    def test_statuses_move_forward_only(self):
        wamid = self.message.wamid
        self._apply(statuses(status(wamid, "delivered", 1_700_000_000)))
        self.assertEqual(self.message.state, "delivered")
        self.assertEqual(str(self.message.delivered_date), "2023-11-14 22:13:20")
        self._apply(statuses(status(wamid, "read", 1_700_000_100)))
        self.assertEqual(self.message.state, "read")
        # A late or repeated callback changes nothing.
        self._apply(statuses(status(wamid, "delivered", 1_700_000_050), status(wamid, "sent")))
        self.assertEqual(self.message.state, "read")
        self._apply(statuses(status(wamid, "read", 1_700_000_999)))
        self.assertEqual(str(self.message.read_date), "2023-11-14 22:15:00")
        self._apply(statuses(status(wamid, "failed", errors=[{"code": 131026, "title": "Message undeliverable"}])))
        self.assertEqual(self.message.state, "read", "a read message does not fail afterwards")

    def test_fixed_queries_per_callback(self):
        """The account named by the call, the message by its wamid (unique
        index) with its state, and one update, whatever the number of
        messages stored."""
        others = self.env["whatsapp.message"].create(
            [
                {"account_id": self.account.id, "number": NUMBER_2, "state": "sent", "wamid": f"wamid.other.{i}"}
                for i in range(50)
            ]
        )
        self.env.flush_all()
        for wamid, state in ((self.message.wamid, "delivered"), (others[7].wamid, "read")):
            self.env.invalidate_all()
            with self.assertQueryCount(3):
                self.env["whatsapp.message"]._process_webhook(statuses(status(wamid, state)))
                self.env.flush_all()
        self.assertEqual(others[7].state, "read")

    def test_read_before_delivered(self):
        self._apply(statuses(status(self.message.wamid, "read", 1_700_000_100)))
        self.assertEqual(self.message.state, "read")
        self.assertTrue(self.message.delivered_date, "read implies delivered")
        self._apply(statuses(status(self.message.wamid, "delivered", 1_700_000_200)))
        self.assertEqual(self.message.state, "read")
        self.assertEqual(str(self.message.delivered_date), "2023-11-14 22:15:00")

    def test_failed_status_carries_its_error(self):
        self._apply(
            statuses(
                status(
                    self.message.wamid,
                    "failed",
                    errors=[{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message"}],
                )
            )
        )
        self.assertEqual(
            (self.message.state, self.message.error_code, self.message.error_title),
            ("failed", "131047", "Re-engagement message"),
        )
        self._apply(statuses(status(self.message.wamid, "delivered")))
        self.assertEqual(self.message.state, "failed", "never backwards, and failed is final")

    def test_unknown_wamid_ignored(self):
        self._apply(statuses(status("wamid.unknown", "read"), {"status": "read"}, status(self.message.wamid, "bogus")))
        self.assertEqual(self.message.state, "sent")
        self.env["whatsapp.message"]._process_webhook({"entry": "not a list"})
        self.env["whatsapp.message"]._process_webhook([])

    def test_inbound_message_from_a_customer(self):
        now = int(time.time())
        self._apply(inbound(DIGITS_1, "Hola, ¿cuándo llega mi carga?", now))
        received = self.env["whatsapp.message"].search([("event", "=", "inbound")])
        self.assertEqual(
            (received.partner_id, received.number, received.state, received.body, received.account_id),
            (self.customer, NUMBER_1, "received", "Hola, ¿cuándo llega mi carga?", self.account),
        )
        note = self.customer.message_ids[:1]
        self.assertIn("WhatsApp message received from +519…01", note.body)
        self.assertIn(f'data-oe-id="{received.id}"', note.body, "the note links to the message")
        self.assertNotIn("carga", note.body, "the text stays in the message record")
        self.assertNotIn(NUMBER_1, note.body)
        self.assertGreater(self.customer.whatsapp_window_until, self.env.cr.now().replace(tzinfo=None))

    def test_inbound_from_the_phone_marked_whatsapp(self):
        other = self._create_customer(
            name="Otra S.A.C.",
            vat="20100070970",
            email="otra@x.example.pe",
            phone="+51 987 650 777",
            phone_is_whatsapp=True,
        )
        self._apply(inbound("51987650777", "Buenos días"))
        received = self.env["whatsapp.message"].search([("partner_id", "=", other.id)])
        self.assertEqual(received.body, "Buenos días")
        self.assertIn("WhatsApp message received", other.message_ids[:1].body)

    def test_opt_out_blacklists_and_stops_sending(self):
        self._apply(inbound(DIGITS_1, " baja "))
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", NUMBER_1)]))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.whatsapp_blacklisted, NUMBER_1)
        self.assertIn("blacklist", self.customer.message_ids[:1].body)
        self._apply(inbound(NUMBER_2.lstrip("+"), "STOP"))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.whatsapp_blacklisted, f"{NUMBER_1}, {NUMBER_2}")
        record = self._file()
        with trap_sends() as trap:
            record.action_start()
            trap.assert_jobs_count(0)
        self.assertFalse(self._messages(record))

    def test_opt_out_of_a_suspended_customer(self):
        self.customer._suspend("Deuda vencida")
        self._apply(inbound(DIGITS_1, "BAJA"))
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", NUMBER_1)]))

    def test_unknown_number_only_logged(self):
        before = self.env["mail.message"].search_count([])
        # Logged at INFO level (not asserted: this test setup raises the
        # level of the addons' loggers past INFO).
        self._apply(inbound("51911111111", "BAJA"))
        self.assertEqual(self.env["mail.message"].search_count([]), before)
        self.assertFalse(self.env["phone.blacklist"].sudo().search([("number", "=", "+51911111111")]))
