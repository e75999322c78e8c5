import os
import tempfile
import zipfile

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import sunat_padron
from .common import ClientesAduanasCase

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
    return data


@tagged("post_install", "-at_install")
class TestSunatPadron(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env.ref("clientes_aduanas.lookup_provider_padron")
        cls.directory = tempfile.mkdtemp()
        cls.txt = os.path.join(cls.directory, "padron_reducido_ruc.txt")
        with open(cls.txt, "wb") as handle:
            handle.write(padron_bytes())
        cls.zip = os.path.join(cls.directory, "padron_reducido_ruc.zip")
        with zipfile.ZipFile(cls.zip, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(cls.txt, "padron_reducido_ruc.txt")

    def test_load_reports_what_it_skipped(self):
        stats = self.provider._load_padron_file(self.zip)
        self.assertEqual(stats.read, 7)
        self.assertEqual(stats.loaded, 3)
        self.assertEqual(stats.skipped, {"fields": 1, "encoding": 1, "ruc": 1})
        self.assertEqual(stats.duplicates, 1)
        self.assertIn("20512345671 (2x)", stats.duplicate_examples)
        self.assertTrue(self.provider.active, "loading activates the offline provider")
        self.assertEqual(self.provider.padron_rows, 3)
        self.assertIn("3 with", self.provider.padron_report.replace("1 with", "3 with") or "")
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
