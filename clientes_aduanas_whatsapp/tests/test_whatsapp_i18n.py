import os

import polib

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WhatsappCase

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestWhatsappSpanish(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_PE")
        cls.env["ir.module.module"]._load_module_terms(["clientes_aduanas_whatsapp"], ["es_PE"], overwrite=True)

    def test_every_exported_string_is_translated(self):
        pot = polib.pofile(os.path.join(I18N, "clientes_aduanas_whatsapp.pot"))
        po = {entry.msgid: entry.msgstr for entry in polib.pofile(os.path.join(I18N, "es.po"))}
        self.assertFalse([entry.msgid for entry in pot if not po.get(entry.msgid)])

    def test_states_and_messages_in_spanish(self):
        es = self.env(context=dict(self.env.context, lang="es_PE"))
        labels = dict(es["whatsapp.message"]._fields["state"]._description_selection(es))
        self.assertEqual(
            [labels[s] for s in ("queued", "sent", "delivered", "read", "failed")],
            ["En cola", "Enviado", "Entregado", "Leído", "Fallido"],
        )
        self.account.token = "EAAG-expired"
        with self.assertRaisesRegex(UserError, "El token de acceso no es válido o venció"):
            self.account.with_env(es).action_test_connection()
