from odoo.tests import TransactionCase, tagged

from odoo.addons.clientes_aduanas.tests.common import untranslated_strings


@tagged("post_install", "-at_install")
class TestDetractionI18n(TransactionCase):
    def test_every_string_has_its_spanish(self):
        """Every string the addon exports (its .pot) has its Spanish in i18n/es.po."""
        source, untranslated = untranslated_strings("clientes_aduanas_detraccion")
        self.assertGreater(len(source), 100)
        self.assertFalse(untranslated, "strings without Spanish in i18n/es.po")

    def test_spanish_screens(self):
        es = self.env(context={"lang": "es_PE"})
        fields = es["account.move"].fields_get(["detraction_amount", "detraction_state"])
        self.assertEqual(fields["detraction_amount"]["string"], "Monto de la detracción")
        self.assertEqual(dict(fields["detraction_state"]["selection"])["pending"], "Pendiente")
