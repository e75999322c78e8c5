import base64
import io

import openpyxl

from odoo.tests import tagged

from .test_customer_import import ImportCase
from .test_customer_import_columns import sheet_of

CODE_HEADER = "Código INE del municipio"


def _hn_row(email, vat, **cells):
    row = {
        "Tipo de documento": "RTN",
        "Número de documento": vat,
        "Nombre o razón social": f"Municipal {vat} S.A.",
        "Tipo de persona": "Jurídica",
        "Dirección": "Barrio El Centro",
        "País": "Honduras",
        "Email": email,
        "Teléfono": "+504 2222 0000",
        **cells,
    }
    return list(row.items())


@tagged("post_install", "-at_install")
class TestCustomerImportMunicipality(ImportCase):
    """The municipality column (INE code) through the addon's import and
    export, and the city typed as text matched to the department's list."""

    def _import_one(self, data):
        wizard = self._wizard(data)
        wizard.action_preview()
        self.assertFalse(wizard.column_ids, "every column recognised")
        wizard.action_import()
        return wizard

    def test_code_gives_municipality_and_department(self):
        # 801: the number Excel keeps of 0801.
        wizard = self._import_one(sheet_of(_hn_row("dc@muni.example.hn", "08019012340001", **{CODE_HEADER: 801})))
        self.assertEqual(wizard.result_created, 1, wizard.preview_html)
        customer = self._by_email("dc@muni.example.hn")
        self.assertEqual(customer.city_id, self.env.ref("clientes_aduanas.city_hn_0801"))
        self.assertEqual((customer.city, customer.state_id.code), ("Distrito Central", "FM"))

    def test_typed_city_matched_in_department(self):
        wizard = self._import_one(
            sheet_of(_hn_row("ceiba@muni.example.hn", "01019012340002", Ciudad="LA CEIBA", Departamento="Atlántida"))
        )
        self.assertEqual(wizard.result_created, 1, wizard.preview_html)
        customer = self._by_email("ceiba@muni.example.hn")
        self.assertEqual(customer.city_id.hn_ine_code, "0101")
        self.assertEqual(customer.city, "La Ceiba")

    def test_unknown_code_is_a_row_error(self):
        wizard = self._wizard(sheet_of(_hn_row("x@muni.example.hn", "01019012340003", **{CODE_HEADER: "1999"})))
        wizard.action_preview()
        self.assertEqual((wizard.count_create, wizard.count_error), (0, 1))
        self.assertIn("Unknown municipality code 1999.", wizard.preview_html)

    def test_code_of_another_department_is_a_row_error(self):
        cells = {CODE_HEADER: "0101", "Departamento": "Cortés"}
        wizard = self._wizard(sheet_of(_hn_row("y@muni.example.hn", "05019012340004", **cells)))
        wizard.action_preview()
        self.assertEqual(wizard.count_error, 1)
        self.assertIn("La Ceiba is not a municipality of Cortés.", wizard.preview_html)

    def test_export_writes_the_code(self):
        customer = self.env["res.partner"].create(self._hn_vals(email="export@muni.example.hn"))
        self.assertEqual(customer.city_id.hn_ine_code, "0501")
        Wizard = self.env["customer.export.wizard"].with_user(self.user_view)
        ctx = {"active_model": "res.partner", "active_ids": customer.ids}
        wizard = Wizard.with_context(**ctx).create({"export_format": "xlsx"})
        wizard.action_export()
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        rows = list(workbook["Clientes"].iter_rows(values_only=True))
        records = {row[rows[0].index("Email")]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        self.assertEqual(records["export@muni.example.hn"][CODE_HEADER], "0501")
