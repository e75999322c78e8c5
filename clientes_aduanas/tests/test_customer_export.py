import base64
import csv
import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestCustomerExport(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(
            name='=HYPERLINK("http://evil")',
            customer_description="@SUM(1+1)",
            notification_whatsapp="+51987654321",
            phone="+51 1 4445555",
            customer_category_id=cls.env.ref("clientes_aduanas.customer_category_pro").id,
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "-Contacto", "parent_id": cls.customer.id, "email": "c@example.pe", "is_operations_contact": True}
        )
        cls.env["customs.file"].create({"partner_id": cls.customer.id})
        cls.hn_customer = cls.env["res.partner"].create(cls._hn_vals())

    def _export(self, fmt, partners, user=None):
        Wizard = self.env["customer.export.wizard"].with_user(user or self.user_view)
        wizard = Wizard.with_context(active_model="res.partner", active_ids=partners.ids).create({"export_format": fmt})
        wizard.action_export()
        return base64.b64decode(wizard.file)

    def test_xlsx_contents_and_statistics(self):
        data = self._export("xlsx", self.customer | self.hn_customer)
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        self.assertEqual(workbook.sheetnames[:2], ["Clientes", "Contactos"])
        rows = list(workbook["Clientes"].iter_rows(values_only=True))
        header = rows[0]
        for column in ("Estado", "Número de expedientes", "Última operación", "Total facturado", "Categoría"):
            self.assertIn(column, header)
        record = dict(zip(header, rows[1], strict=True))
        self.assertEqual(record["Número de expedientes"], 1)
        self.assertEqual(record["Categoría"], "PRO")
        self.assertTrue(record["Última operación"])
        contacts = list(workbook["Contactos"].iter_rows(values_only=True))
        self.assertEqual(contacts[1][:2], (self.customer.vat, "'-Contacto"))

    def test_injection_neutralised_in_both_formats(self):
        workbook = openpyxl.load_workbook(io.BytesIO(self._export("xlsx", self.customer)))
        values = [v for row in workbook["Clientes"].iter_rows(min_row=2, values_only=True) for v in row]
        self.assertIn('\'=HYPERLINK("http://evil")', values)
        self.assertIn("'@SUM(1+1)", values)
        self.assertIn("'+51 1 4445555", values)
        self.assertFalse([v for v in values if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")])
        text = self._export("csv", self.customer).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        cells = [cell for row in rows[1:] for cell in row]
        self.assertIn('\'=HYPERLINK("http://evil")', cells)
        self.assertFalse([c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")])

    def test_export_needs_view_permission(self):
        with self.assertRaises(AccessError):
            self._export("xlsx", self.customer, user=self.user_plain)

    def test_active_domain_is_respected(self):
        wizard = (
            self.env["customer.export.wizard"]
            .with_context(active_model="res.partner", active_ids=[], active_domain=[("country_id.code", "=", "HN")])
            .create({})
        )
        self.assertEqual(wizard.partner_ids, self.hn_customer)

    def test_round_trip(self):
        """Exported customers and contacts come back identical when the file
        is imported into a database without them."""
        partners = self.customer | self.hn_customer
        data = self._export("xlsx", partners)
        fields_to_compare = [
            "name",
            "vat",
            "l10n_latam_identification_type_id",
            "street",
            "city",
            "state_id",
            "country_id",
            "email",
            "phone",
            "customer_category_id",
            "customer_class_id",
            "detraction_required",
            "notification_whatsapp",
            "customer_description",
            "company_type",
        ]
        before = partners.read(fields_to_compare)
        vats = partners.mapped("vat")
        contacts_before = [(c.name, c.email, c.is_operations_contact) for c in self.customer.child_ids]
        self.env["customs.file"].search([("partner_id", "in", partners.ids)]).unlink()
        (partners.child_ids | partners).unlink()
        wizard = (
            self.env["customer.import.wizard"]
            .with_user(self.user_manager)
            .create({"file": base64.b64encode(data), "filename": "clientes.xlsx"})
        )
        wizard.action_preview()
        self.assertEqual(wizard.count_error, 0, wizard.preview_html)
        wizard.action_import()
        again = self.env["res.partner"].search([("vat", "in", vats), ("is_registered_customer", "=", True)])
        after = {p["vat"]: p for p in again.read(fields_to_compare)}
        for record in before:
            restored = after[record["vat"]]
            for field_name in fields_to_compare:
                self.assertEqual(restored[field_name], record[field_name], field_name)
        customer = again.filtered(lambda p: p.vat == vats[0])
        self.assertEqual([(c.name, c.email, c.is_operations_contact) for c in customer.child_ids], contacts_before)
