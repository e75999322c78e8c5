from odoo.tests import tagged

from .common import ClientesAduanasCase
from .portal_common import setup_portal_data

REPLY = """Return-Path: <ana@portal.example.pe>
From: Ana Portal <ana@portal.example.pe>
To: expedientes@aduanas.example.pe
Subject: Re: {subject}
Message-ID: <{tag}-reply@portal.example.pe>
In-Reply-To: {parent}
References: {parent}
Date: Sun, 06 Dec 2026 10:00:00 -0500
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{text}
"""


@tagged("post_install", "-at_install")
class TestMailReplyOfSuspendedCustomer(ClientesAduanasCase):
    """An e-mail reply of a customer's contact, through Odoo's mail gateway
    (message_process with a real MIME message), follows the portal's rule
    for suspended customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_data(cls)
        cls.file_a1.user_id = cls.user_manager
        cls.file_a1.message_subscribe(partner_ids=cls.contact_a.ids)

    def _reply(self, tag, text):
        parent = self.file_a1.with_user(self.user_manager).message_post(
            body="Su carga llegó al puerto.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        raw = REPLY.format(subject=self.file_a1.display_name, tag=tag, parent=parent.message_id, text=text)
        thread_id = self.env["mail.thread"].message_process("customs.file", raw.encode())
        self.assertEqual(thread_id, self.file_a1.id, "the reply reached its file")
        return self.file_a1.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_reply_of_an_active_customer_is_its_message(self):
        message = self._reply("active", "Gracias, pasamos mañana.")
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(message.is_internal)

    def test_reply_of_a_suspended_customer_is_kept_as_an_internal_note(self):
        self.customer_a.with_user(self.user_edit)._suspend("Deuda vencida")
        message = self._reply("suspended", "Necesitamos retirar la carga hoy.")
        self.assertEqual(len(message), 1, "kept: nothing lost")
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertTrue(message.is_internal, "not shown in the portal, not sent to the customer's followers")
        self.assertIn("not posted as the customer's message", message.body)
        self.assertIn("is suspended", message.body, "the portal's reason, from the same rule")
        self.assertIn(self.user_manager.partner_id, message.notified_partner_ids, "the file's responsible is told")
        self.assertNotIn(self.contact_a, message.notified_partner_ids)
        # The portal shows the file's messages that are not internal: not this one.
        portal_messages = self.file_a1.with_user(self.portal_a).sudo().message_ids.filtered(lambda m: not m.is_internal)
        self.assertNotIn(message, portal_messages)

    def test_staff_e_mail_is_not_affected(self):
        self.customer_a.with_user(self.user_edit)._suspend("Deuda vencida")
        message = self.file_a1.with_user(self.user_manager).message_post(
            body="Le enviamos el estado de cuenta.", message_type="email", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
