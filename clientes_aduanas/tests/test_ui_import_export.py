import base64
import csv
import io

import openpyxl

from odoo.tests import tagged

from .test_customer_import import customer_row, make_xlsx
from .test_ui_customer import CustomerTourCase

WRONG_CHECK_DIGIT = "20512345672"


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestImportExportTours(CustomerTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.importer = cls._user("ca_tour_import", "create", "edit")
        cls.exporter = cls._user("ca_tour_export", "view")

    def test_import_template_preview_valid_rows_and_rejected_file(self):
        rows = [
            customer_row(vat="20100070970", name="Tour Importada Uno S.A.C.", email="uno@tour.example.pe"),
            customer_row(vat=WRONG_CHECK_DIGIT, name="Tour Dígito Errado S.A.C.", email="errado@tour.example.pe"),
            customer_row(vat="20131312955", name="Tour Importada Dos S.A.C.", email="dos@tour.example.pe"),
        ]
        # The file the user picks in the browser (the tour reads it from here).
        self.env["ir.attachment"].with_user(self.importer).create(
            {"name": "ca_tour_import.xlsx", "raw": make_xlsx(rows)}
        )
        self.start_tour("/odoo", "clientes_aduanas_customer_import", login="ca_tour_import")
        imported = self._registered(vat="20100070970") | self._registered(vat="20131312955")
        self.assertEqual(sorted(imported.mapped("name")), ["Tour Importada Dos S.A.C.", "Tour Importada Uno S.A.C."])
        self.assertEqual(imported.create_uid, self.importer)
        self.assertFalse(self._registered(vat=WRONG_CHECK_DIGIT), "the wrong row was skipped")
        wizard = self.env["customer.import.wizard"].search([("create_uid", "=", self.importer.id)])
        self.assertEqual(len(wizard), 1)
        self.assertEqual(wizard.template_filename, "plantilla_clientes.xlsx", "the template was downloaded")
        self.assertEqual((wizard.result_created, wizard.result_skipped), (2, 1))
        # The rejected-rows file, as the browser downloads it (the button's URL).
        self.authenticate("ca_tour_import", "ca_tour_import")
        url = wizard.with_user(self.importer).action_download_rejected()["url"]
        with self.assertNoLogs("odoo.tools.mimetypes", "WARNING"):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml.sheet", response.headers["Content-Type"])
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
        self.assertIn(WRONG_CHECK_DIGIT, cells)
        self.assertNotIn("20100070970", cells)

    def test_export_filtered_list_xlsx_and_csv(self):
        self._customer(name="Tour Export Lima S.A.C.", vat="20100070970", email="lima@tour.example.pe")
        self._customer(name="Tour Export Callao S.A.C.", vat="20131312955", email="callao@tour.example.pe")
        self.env["res.partner"].create(self._hn_vals(name="Tour Export Sula S.A."))
        self.start_tour("/odoo", "clientes_aduanas_customer_export", login="ca_tour_export")
        wizards = self.env["customer.export.wizard"].search([("create_uid", "=", self.exporter.id)], order="id")
        self.assertEqual(wizards.mapped("export_format"), ["xlsx", "csv"])
        self.assertEqual(wizards.mapped("filename"), ["clientes.xlsx", "clientes.csv"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizards[0].file)), read_only=True)
        names = {str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c}
        self.assertTrue({"Tour Export Lima S.A.C.", "Tour Export Callao S.A.C."} <= names)
        self.assertNotIn("Tour Export Sula S.A.", names, "only the filtered list (Perú) is exported")
        text = base64.b64decode(wizards[1].file).decode("utf-8-sig")
        cells = {cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row}
        self.assertTrue({"Tour Export Lima S.A.C.", "Tour Export Callao S.A.C."} <= cells)
        self.assertNotIn("Tour Export Sula S.A.", cells)
