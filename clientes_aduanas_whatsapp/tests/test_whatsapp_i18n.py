from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.clientes_aduanas.tests.common import untranslated_strings

from .common import WhatsappCase


@tagged("post_install", "-at_install")
class TestWhatsappSpanish(WhatsappCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_PE")
        cls.env["ir.module.module"]._load_module_terms(["clientes_aduanas_whatsapp"], ["es_PE"], overwrite=True)

    def test_every_exported_string_is_translated(self):
        source, untranslated = untranslated_strings("clientes_aduanas_whatsapp")
        self.assertTrue(source)
        self.assertFalse(untranslated, "strings without Spanish in i18n/es.po")

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
