import os

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open
from odoo.tools.translate import TranslationFileReader


@tagged("post_install", "-at_install")
class TestDetractionI18n(TransactionCase):
    def test_every_string_has_its_spanish(self):
        """Every string the addon exports (its .pot) has its Spanish in i18n/es.po."""
        module_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with file_open(os.path.join(module_dir, "i18n", "clientes_aduanas_detraccion.pot"), "rb") as pot:
            source = {entry["src"] for entry in TranslationFileReader(pot, fileformat="po")}
        with file_open(os.path.join(module_dir, "i18n", "es.po"), "rb") as po:
            translated = {entry["src"] for entry in TranslationFileReader(po, fileformat="po") if entry["value"]}
        self.assertGreater(len(source), 100)
        self.assertFalse(source - translated, "strings without Spanish in i18n/es.po")

    def test_spanish_screens(self):
        es = self.env(context={"lang": "es_PE"})
        fields = es["account.move"].fields_get(["detraction_amount", "detraction_state"])
        self.assertEqual(fields["detraction_amount"]["string"], "Monto de la detracción")
        self.assertEqual(dict(fields["detraction_state"]["selection"])["pending"], "Pendiente")
