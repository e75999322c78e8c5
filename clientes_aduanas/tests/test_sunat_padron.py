import base64
import os
import zipfile

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..tools import document_number as dn
from ..tools import sunat_padron
from .common import PadronCase

HEADER = (
    "RUC|NOMBRE O RAZÓN SOCIAL|ESTADO DEL CONTRIBUYENTE|CONDICIÓN DE DOMICILIO|UBIGEO|TIPO DE VÍA|NOMBRE DE VÍA|"
    "CÓDIGO DE ZONA|TIPO DE ZONA|NÚMERO|INTERIOR|LOTE|DEPARTAMENTO|MANZANA|KILÓMETRO|"
)


def padron_bytes():
    lines = [
        HEADER,
        "20512345671|IMPORTACIONES ANDINAS S.A.C.|ACTIVO|HABIDO|150131|AV.|JAVIER PRADO ESTE|-|-|1234|-|-|501|-|-|",
        "20100070970|SUPERMERCADOS PERUANOS SOCIEDAD ANONIMA|ACTIVO|HABIDO|150140|CAL.|MORELLI|-|-|181|-|-|-|-|-|",
        "10456789124|QUISPE HUAMAN MARIA FERNANDA|BAJA DE OFICIO|NO HABIDO|040101|-|-|URB.|LOS OLIVOS|-|-|5|-|B|-|",
        # Odd rows: missing fields, bad check digit, duplicated RUC, control characters.
        "20131312955|SUNAT|ACTIVO|HABIDO|150101|AV.|GARCILASO",
        "20512345670|MAL DIGITO S.A.|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|",
        "20512345671|DUPLICADO S.A.C.|ACTIVO|HABIDO|150131|-|-|-|-|-|-|-|-|-|-|",
    ]
    data = "\r\n".join(lines).encode("latin-1") + b"\r\n"
    data += "20603456786|EMPRESA\x00ROTA|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|\r\n".encode("latin-1")
    # A byte undefined in Windows-1252 (bad encoding) and a row saved as UTF-8 (readable).
    data += b"20607654329|CAF\x81 MAL|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|\r\n"
    data += "20601234565|PEÑA & MUÑOZ S.A.C.|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|\r\n".encode()
    return data


@tagged("post_install", "-at_install")
class TestSunatPadron(PadronCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.txt = os.path.join(cls.directory, "padron_reducido_ruc.txt")
        with open(cls.txt, "wb") as handle:
            handle.write(padron_bytes())
        cls.zip = os.path.join(cls.directory, "padron_reducido_ruc.zip")
        with zipfile.ZipFile(cls.zip, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(cls.txt, "padron_reducido_ruc.txt")

    def test_load_reports_what_it_skipped(self):
        stats = self.provider._load_padron_file(self.zip)
        self.assertEqual(stats.read, 9)
        self.assertEqual(stats.loaded, 4)
        self.assertEqual(stats.skipped, {"fields": 1, "encoding": 2, "ruc": 1})
        self.assertEqual(stats.duplicates, 1)
        self.assertIn("20512345671 (2x)", stats.duplicate_examples)
        self.assertTrue(self.provider.active, "loading activates the offline provider")
        self.assertEqual(self.provider.padron_rows, 4)
        self.assertEqual(sunat_padron.lookup(self.env.cr, "20601234565")["name"], "PEÑA & MUÑOZ S.A.C.")
        self.assertEqual(
            sunat_padron.lookup(self.env.cr, "20100070970")["name"], "SUPERMERCADOS PERUANOS SOCIEDAD ANONIMA"
        )
        self.assertIn("2 with unreadable characters", self.provider.padron_report)
        self.assertIn("CAF? MAL", self.provider.padron_report, "examples of skipped rows are shown")
        self.assertIn("invalid RUC", self.provider.padron_report)

    def test_lookup_in_offline_table(self):
        self.provider._load_padron_file(self.txt)
        row = sunat_padron.lookup(self.env.cr, "20512345671")
        self.assertEqual(row["name"], "IMPORTACIONES ANDINAS S.A.C.", "the first of duplicated rows is kept")
        self.assertEqual(row["street"], "AV. JAVIER PRADO ESTE NRO. 1234 DPTO. 501")
        result = self.env["document.lookup.provider"]._lookup("pe_ruc", "10456789124")
        self.assertEqual(result["taxpayer_condition"], "NO HABIDO")
        self.assertEqual(result["provider"], self.provider.name)
        vals = self.env["res.partner"]._lookup_result_to_vals(result, "pe_ruc")
        self.assertEqual(vals["state_id"], self.env.ref("base.state_pe_04").id, "UBIGEO 04 is Arequipa")
        self.assertFalse(vals["is_company"])
        with self.assertRaises(UserError):
            self.env["document.lookup.provider"]._lookup("pe_ruc", "20131312955")

    def test_refresh_replaces_data(self):
        self.provider._load_padron_file(self.txt)
        smaller = os.path.join(self.directory, "small.txt")
        with open(smaller, "wb") as handle:
            handle.write(
                (HEADER + "\n" + "20100070970|NUEVO NOMBRE|ACTIVO|HABIDO|150140|-|-|-|-|-|-|-|-|-|-|\n").encode(
                    "latin-1"
                )
            )
        self.provider._load_padron_file(smaller)
        self.assertIsNone(sunat_padron.lookup(self.env.cr, "20512345671"))
        self.assertEqual(sunat_padron.lookup(self.env.cr, "20100070970")["name"], "NUEVO NOMBRE")

    def test_only_admin_loads(self):
        with self.assertRaises(UserError):
            self.provider.with_user(self.user_manager)._load_padron_file(self.txt)

    def test_unusable_file_leaves_the_padron_as_it_was(self):
        self.provider._load_padron_file(self.txt)
        garbage = os.path.join(self.directory, "not_a_padron.txt")
        with open(garbage, "wb") as handle:
            handle.write(b"<html><body>Servicio no disponible</body></html>\n")
        with self.assertRaisesRegex(UserError, "no usable row"):
            self.provider._load_padron_file(garbage)
        broken = os.path.join(self.directory, "broken.zip")
        with open(self.zip, "rb") as source, open(broken, "wb") as handle:
            handle.write(source.read()[:-60])  # truncated download
        with self.assertRaises(UserError):
            self.provider._load_padron_file(broken)
        with self.assertRaisesRegex(UserError, "Cannot open missing.zip"):
            self.provider._load_padron_file(os.path.join(self.directory, "missing.zip"))
        self.assertEqual(sunat_padron.lookup(self.env.cr, "20100070970")["taxpayer_state"], "ACTIVO")

    def test_load_wizard_from_path_and_upload(self):
        wizard = Form(self.env["sunat.padron.load.wizard"].with_context(default_provider_id=self.provider.id))
        wizard.path = self.zip
        action = wizard.save().action_load()
        done = self.env["sunat.padron.load.wizard"].browse(action["res_id"])
        self.assertIn("loaded 4", done.report)
        self.assertEqual(self.env["ir.config_parameter"].get_param("clientes_aduanas.padron_path"), self.zip)
        with open(self.txt, "rb") as handle:
            upload = base64.b64encode(handle.read())
        wizard = Form(self.env["sunat.padron.load.wizard"].with_context(default_provider_id=self.provider.id))
        wizard.source = "upload"
        wizard.upload = upload
        wizard.save().action_load()
        self.assertEqual(self.provider.padron_rows, 4)
        with self.assertRaises(UserError):
            self.env["sunat.padron.load.wizard"].with_user(self.user_manager).default_get(["path"])

    def test_cron_loads_the_configured_file(self):
        self.provider.active = False
        self.env["ir.config_parameter"].set_param("clientes_aduanas.padron_path", self.txt)
        self.env.ref("clientes_aduanas.ir_cron_refresh_sunat_padron").method_direct_trigger()
        self.assertTrue(self.provider.active)
        self.assertEqual(self.provider.padron_rows, 4)

    def test_fast_ruc_check_digit_is_sunat_modulo_11(self):
        for prefix in ("10", "15", "16", "17", "20"):
            for i in range(0, 10**8, 999_983):
                body = f"{prefix}{i:08d}"
                self.assertEqual(dn.ruc_check_digit(body), dn.pe_ruc.calc_check_digit(body), body)
