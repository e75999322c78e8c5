from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged

MIGRATION = "clientes_aduanas/migrations/18.0.1.2.0/post-customs_office_codes.py"


@tagged("post_install", "-at_install")
class TestCustomsCatalogueCodes(TransactionCase):
    """Honduran customs offices carry Aduanas Honduras' four-digit codes; a
    database that still holds the first catalogue's mnemonics gets them on
    upgrade, unless an administrator changed the code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = load_script(MIGRATION, "clientes_aduanas_post_customs_office_codes")
        cls.offices = {key: cls.env.ref(f"clientes_aduanas.customs_office_hn_{key}") for key in cls.migration.CODES}

    def test_official_codes(self):
        self.assertEqual(
            {key: office.code for key, office in self.offices.items()},
            {key: code for key, (_mnemonic, code) in self.migration.CODES.items()},
        )
        self.assertEqual(self.offices["pco"].display_name, "0004 - Puerto Cortés")
        self.assertRegex(self.offices["man"].code, r"^\d{4}$")
        # The régimen codes the DUCA uses.
        self.assertEqual(self.env.ref("clientes_aduanas.customs_regime_hn_4000").code, "4000")
        self.assertEqual(self.env.ref("clientes_aduanas.customs_regime_hn_1000").code, "1000")

    def test_upgrade_replaces_the_mnemonics_only(self):
        pco, tgu, sap = self.offices["pco"], self.offices["tgu"], self.offices["sap"]
        pco.code, tgu.code = "PCO", "TGU"
        # An administrator's own correction stays.
        sap.code = "0012"
        self.migration.migrate(self.env.cr, "18.0.1.1.0")
        self.assertEqual((pco.code, tgu.code, sap.code), ("0004", "0015", "0012"))

    def test_upgrade_never_breaks_the_unique_code(self):
        cortes = self.offices["pco"]
        cortes.code = "PCO"
        cortes.flush_recordset()
        own = self.env["customs.office"].create(
            {"code": "0004", "name": "Puerto Cortés (registro propio)", "country_id": self.env.ref("base.hn").id}
        )
        with self.assertLogs("clientes_aduanas_post_customs_office_codes", "WARNING"):
            self.migration.migrate(self.env.cr, "18.0.1.1.0")
        self.assertEqual((cortes.code, own.code), ("PCO", "0004"))

    def test_fresh_install_does_nothing(self):
        pco = self.offices["pco"]
        pco.code = "PCO"
        self.migration.migrate(self.env.cr, None)
        self.assertEqual(pco.code, "PCO")
