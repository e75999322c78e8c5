import importlib.util
import os

from markupsafe import Markup

from odoo.tests import tagged

from .common import NUMBER_1, NUMBER_2, WhatsappCase

MIGRATION = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.1.0", "post-chatter_content.py"
)


def load_migration():
    spec = importlib.util.spec_from_file_location("whatsapp_post_chatter_content", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestWhatsappChatterMigration(WhatsappCase):
    """The notes 18.0.1.0 left on customers, with numbers and text, are
    rewritten on upgrade; an inbound text moves to a whatsapp.message."""

    def _old_note(self, body):
        return self.customer.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def test_old_notes_rewritten_without_content(self):
        inbound_es = self._old_note(f"WhatsApp de {NUMBER_1}: ¿Llegó el contenedor <MSCU>?")
        inbound_en = self._old_note(f"WhatsApp from {NUMBER_2}: Hello & thanks")
        sent = self._old_note(
            Markup("%s<br/>%s") % (f"WhatsApp a {NUMBER_1}: Enviado", "Su factura F001-12 por S/ 250")
        )
        failed = self._old_note(
            Markup("%s<br/>%s<br/>%s") % (f"WhatsApp to {NUMBER_2}: Failed", "Invoice F001-13", "Error 131026: x")
        )
        opt_out = self._old_note(f"{NUMBER_2} pasó a la lista negra de teléfonos: Pidió no recibir (BAJA).")
        unrelated = self._old_note("Llamar por WhatsApp mañana")
        self.assertEqual(load_migration().rewrite_notes(self.env), 5)
        received = self.Message.search([("partner_id", "=", self.customer.id), ("event", "=", "inbound")])
        self.assertEqual(
            sorted((m.number, m.body, m.account_id.id) for m in received),
            sorted(
                [
                    (NUMBER_1, "¿Llegó el contenedor <MSCU>?", self.account.id),
                    (NUMBER_2, "Hello & thanks", self.account.id),
                ]
            ),
        )
        texts = {note: note.body.striptags() for note in (inbound_es, inbound_en, sent, failed, opt_out, unrelated)}
        self.assertEqual(texts[inbound_es], "Mensaje de WhatsApp recibido de +519…01 (Ver el mensaje)")
        self.assertEqual(texts[inbound_en], "WhatsApp message received from +519…02 (See the message)")
        self.assertEqual(texts[sent], "Notificación de WhatsApp enviada")
        self.assertEqual(texts[failed], "WhatsApp notification failed")
        self.assertEqual(
            texts[opt_out],
            "El número de WhatsApp +519…02 pidió no recibir más mensajes y está en la lista negra de teléfonos",
        )
        self.assertEqual(texts[unrelated], "Llamar por WhatsApp mañana")
        by_number = {m.number: m for m in received}
        self.assertIn(f'data-oe-id="{by_number[NUMBER_1].id}"', inbound_es.body)
        # Run again (an upgrade repeated): nothing matches any more.
        self.assertEqual(load_migration().rewrite_notes(self.env), 0)
