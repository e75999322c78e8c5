from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import NUMBER_1, NUMBER_2, WhatsappCase, inbound, trap_sends

SECRET_TEXT = "Contenedor MSCU1234565 retenido en Callao"
INBOUND_TEXT = "Hola, ¿llegó mi carga de Shanghái?"


@tagged("post_install", "-at_install")
class TestWhatsappContentVisibility(WhatsappCase):
    """The text and the numbers of WhatsApp messages stay in
    ``whatsapp.message`` (*Clientes: Ver* only): the customer's chatter,
    which every internal user reads, gets a note without them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        by_name = {t.name: t for t in cls.account.template_ids}
        cls.account.write(
            {
                "notify_invoices": True,
                "invoice_template_id": by_name["factura_emitida"].id,
                "invoice_template_params": "customer_name, invoice_number, invoice_amount",
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 300})

    def _inbound(self, text, number=NUMBER_1):
        self.Message._process_webhook(inbound(number, text))

    def _everything_the_addon_posts(self):
        """An inbound message, a free text sent from the customer (no
        customs file), an invoice notification and an opt-out."""
        self._inbound(INBOUND_TEXT)
        wizard = (
            self.env["whatsapp.send.wizard"]
            .with_user(self.user_edit)
            .with_context(default_partner_id=self.customer.id)
            .create({"mode": "text", "free_text": SECRET_TEXT})
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 250, "tax_ids": []})],
            }
        )
        with trap_sends() as trap:
            wizard.action_send()
            invoice.action_post()
            trap.assert_jobs_count(4)
            trap.perform_enqueued_jobs()
        self._inbound("BAJA", NUMBER_2)
        self.env.flush_all()
        return invoice

    def test_customer_chatter_has_no_content(self):
        invoice = self._everything_the_addon_posts()
        messages = self.Message.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            sorted(messages.mapped("event")),
            ["inbound", "inbound", "invoice_posted", "invoice_posted", "manual", "manual"],
        )
        self.assertIn(SECRET_TEXT, messages.mapped("body"))
        self.assertIn(INBOUND_TEXT, messages.mapped("body"))
        secrets = (SECRET_TEXT, INBOUND_TEXT, NUMBER_1, NUMBER_2, invoice.name, "BAJA", "250")
        for user in (self.user_plain, self.user_view):
            customer = self.customer.with_user(user)
            notes = customer.message_ids.filtered(lambda m: "WhatsApp" in (m.body or ""))
            # Two received, four sent, one opt-out.
            self.assertEqual(len(notes), 7, user.login)
            for note in notes:
                for secret in secrets:
                    self.assertNotIn(secret, note.body, f"{user.login}: {note.body}")
            found = (
                self.env["mail.message"]
                .with_user(user)
                .search([("model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
            )
            self.assertTrue(found)
            for body in found.mapped("body"):
                for secret in secrets[:4]:
                    self.assertNotIn(secret, body)
            for text in (SECRET_TEXT, "Shanghái"):
                self.assertFalse(self.env["mail.message"].with_user(user).search([("body", "ilike", text)]))
        labels = {note.body.striptags() for note in self.customer.message_ids if "WhatsApp" in (note.body or "")}
        self.assertIn("WhatsApp notification sent (See the message)", labels)
        self.assertIn("WhatsApp message received from +519…01 (See the message)", labels)
        self.assertIn(
            "WhatsApp number +519…02 asked not to receive messages and is on the phone blacklist (See the message)",
            labels,
        )

    def test_records_and_fields_without_view(self):
        self._everything_the_addon_posts()
        plain = self.customer.with_user(self.user_plain)
        with self.assertRaises(AccessError):
            self.Message.with_user(self.user_plain).search([("partner_id", "=", self.customer.id)])
        for field in (
            "whatsapp_message_ids",
            "whatsapp_message_count",
            "whatsapp_window_until",
            "whatsapp_blacklisted",
        ):
            with self.assertRaises(AccessError, msg=field):
                plain.read([field])
        # Odoo's exporter offers only the fields fields_get returns.
        offered = self.env["res.partner"].with_user(self.user_plain).fields_get()
        self.assertFalse([name for name in offered if name.startswith("whatsapp_")])
        # The customer form served to that user carries none of them.
        view = self.env.ref("clientes_aduanas.res_partner_view_form_customer")
        arch = self.env["res.partner"].with_user(self.user_plain).get_view(view.id)["arch"]
        self.assertNotIn("whatsapp_", arch)

    def test_content_readable_with_view(self):
        self._everything_the_addon_posts()
        view = self.customer.with_user(self.user_view)
        self.assertTrue(view.whatsapp_window_until)
        rows = self.Message.with_user(self.user_view).search_read(
            [("partner_id", "=", self.customer.id), ("event", "=", "inbound")], ["number", "body", "state"]
        )
        self.assertEqual(
            {(r["number"], r["body"], r["state"]) for r in rows},
            {
                (NUMBER_1, INBOUND_TEXT, "received"),
                (NUMBER_2, "BAJA", "received"),
            },
        )
        # The note's link opens the message the user may read.
        inbound = self.Message.search([("body", "=", INBOUND_TEXT)])
        note = self.customer.message_ids.filtered(lambda m: "received from +519…01" in (m.body or ""))
        self.assertIn(f'data-oe-model="whatsapp.message" data-oe-id="{inbound.id}"', note.body)

    def test_repeated_inbound_callback_recorded_once(self):
        payload_id = "wamid.in.repeated"
        body = inbound(NUMBER_1, "Hola", wamid=payload_id)
        self.Message._process_webhook(body)
        notes = len(self.customer.message_ids)
        self.Message._process_webhook(body)
        self.assertEqual(self.Message.search_count([("wamid", "=", payload_id)]), 1)
        self.assertEqual(len(self.customer.message_ids), notes)
