import base64
import csv
import io

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClientesAduanasCase

INJECTION = ("=", "+", "-", "@", "\t", "\r")
COMPARED_FIELDS = [
    "name",
    "vat",
    "l10n_latam_identification_type_id",
    "company_type",
    "street",
    "city",
    "state_id",
    "country_id",
    "email",
    "phone",
    "mobile",
    "phone_is_whatsapp",
    "billing_email",
    "website",
    "customer_category_id",
    "customer_class_id",
    "detraction_required",
    "notification_emails",
    "notification_whatsapp",
    "customer_description",
]


class ExportCase(ClientesAduanasCase):
    """Three customers for the exports: a Peruvian company whose values put
    every column to work (formula-like text included) with two contacts, a
    Honduran company and a natural person."""

    @classmethod
    def _setup_export_customers(cls, **overrides):
        cls.customer = cls._create_customer(
            **{
                "notification_emails": "avisos@lima.example.pe, jefe@lima.example.pe",
                "notification_whatsapp": "+51987654321",
                "mobile": "-5 por si acaso",
                "phone_is_whatsapp": True,
                "detraction_required": True,
                "billing_email": "facturas@lima.example.pe",
                "website": "https://lima.example.pe",
                "customer_category_id": cls.env.ref("clientes_aduanas.customer_category_pro").id,
                **overrides,
            }
        )
        Partner = cls.env["res.partner"]
        cls.contact = Partner.create(
            {
                "name": "-Contacto",
                "parent_id": cls.customer.id,
                "email": "c@example.pe",
                "function": "Jefe",
                "phone": "+51 999 888 777",
                "is_operations_contact": True,
            }
        )
        cls.contact2 = Partner.create({"name": "Asistente", "function": "\tdoble turno", "parent_id": cls.customer.id})
        cls.hn_customer = Partner.create(cls._hn_vals())
        cls.dni_customer = cls._create_customer(
            l10n_latam_identification_type_id=cls.type_dni.id,
            vat="01234567",
            name="Persona Natural",
            email="persona@lima.example.pe",
            is_company=False,
        )
        cls.customers = cls.customer | cls.hn_customer | cls.dni_customer

    def _export(self, fmt, partners=None, user=None, **context):
        partners = self.customers if partners is None else partners
        Wizard = self.env["customer.export.wizard"].with_user(user or self.user_view)
        ctx = {"active_model": "res.partner", "active_ids": partners.ids, **context}
        wizard = Wizard.with_context(**ctx).create({"export_format": fmt})
        action = wizard.action_export()
        self.assertIn(wizard.filename, action["url"])
        return base64.b64decode(wizard.file)


@tagged("post_install", "-at_install")
class TestCustomerExport(ExportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_export_customers(
            name='=HYPERLINK("http://evil")', customer_description="@SUM(1+1)", phone="+51 1 4445555"
        )
        cls.env["customs.file"].create({"partner_id": cls.customer.id, "operation_type": "import"})
        cls.env["customs.file"].create({"partner_id": cls.customer.id, "operation_type": "export"})
        product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 300})
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.contact.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 250, "tax_ids": []})],
            }
        )
        invoice.action_post()

    def _sheet_dicts(self, worksheet):
        rows = list(worksheet.iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    def test_xlsx_contents_and_statistics(self):
        workbook = openpyxl.load_workbook(io.BytesIO(self._export("xlsx")))
        self.assertEqual(workbook.sheetnames, ["Clientes", "Contactos"])
        records = {r["Email"]: r for r in self._sheet_dicts(workbook["Clientes"])}
        record = records[self.customer.email]
        self.assertEqual(record["Número de expedientes"], 2)
        # Statistics as the exporting user sees them: Customers: View alone
        # does not show invoiced totals; an invoicing user sees them.
        self.assertIsNone(record["Total facturado"])
        invoicing = openpyxl.load_workbook(io.BytesIO(self._export("xlsx", user=self.user_manager)))
        totals = {r["Email"]: r["Total facturado"] for r in self._sheet_dicts(invoicing["Clientes"])}
        self.assertEqual(totals[self.customer.email], 250)
        self.assertEqual(totals[self.hn_customer.email], 0)
        self.assertEqual(record["Última operación"].date(), fields.Date.context_today(self.customer))
        self.assertEqual(record["Estado"], "Active")
        self.assertEqual(record["Categoría"], "PRO")
        self.assertEqual(record["Tipo de persona"], "Jurídica")
        self.assertEqual(record["Solicita detracción"], "Sí")
        other = records[self.hn_customer.email]
        self.assertEqual(other["Número de expedientes"], 0)
        self.assertEqual(other["Departamento"], self.state_cortes.name)
        self.assertEqual(records[self.dni_customer.email]["Número de documento"], "01234567", "text, zeros kept")
        contacts = {c["Nombre"]: c for c in self._sheet_dicts(workbook["Contactos"])}
        self.assertEqual(set(contacts), {"'-Contacto", "Asistente"})
        self.assertEqual(contacts["'-Contacto"]["Número de documento del cliente"], self.customer.vat)
        self.assertEqual(contacts["'-Contacto"]["Contacto principal de operaciones"], "Sí")
        self.assertEqual(contacts["Asistente"]["Contacto principal de operaciones"], "No")

    def test_csv_contents(self):
        text = self._export("csv").decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        self.assertEqual(len(rows), 3)
        record = next(r for r in rows if r["Email"] == self.customer.email)
        self.assertEqual(record["Número de expedientes"], "2")
        self.assertIn("Asistente", record["Contactos"])
        self.assertIn("Jefe", record["Contactos"])
        contacts = list(csv.reader(io.StringIO(self._export("csv_contacts").decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(contacts[0][:2], ["Número de documento del cliente", "Nombre"])
        self.assertEqual(len(contacts), 3)

    def test_injection_neutralised_in_both_formats(self):
        workbook = openpyxl.load_workbook(io.BytesIO(self._export("xlsx", self.customer)))
        values = [v for ws in workbook for row in ws.iter_rows(min_row=2, values_only=True) for v in row]
        for expected in ('\'=HYPERLINK("http://evil")', "'@SUM(1+1)", "'+51 1 4445555", "'-5 por si acaso"):
            self.assertIn(expected, values)
        self.assertIn("'\tdoble turno", values)
        self.assertFalse([v for v in values if isinstance(v, str) and v.startswith(INJECTION)])
        for fmt in ("csv", "csv_contacts"):
            text = self._export(fmt, self.customer).decode("utf-8-sig")
            cells = [cell for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:] for cell in row]
            self.assertFalse([c for c in cells if c.startswith(INJECTION)], fmt)
        text = self._export("csv", self.customer).decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
        self.assertIn('\'=HYPERLINK("http://evil")', cells)

    def test_permissions(self):
        with self.assertRaises(AccessError):
            self._export("xlsx", user=self.user_plain)
        self.assertTrue(self._export("xlsx", user=self.user_view))
        action = self.env.ref("clientes_aduanas.customer_export_wizard_action")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertIn(self.env.ref("clientes_aduanas.clientes_aduanas_group_view"), action.groups_id)

    def test_selection_and_filters(self):
        Wizard = self.env["customer.export.wizard"].with_user(self.user_view)
        domain = [("country_id.code", "=", "HN"), ("is_registered_customer", "=", True)]
        # Some rows selected: the web client sends their ids and the list's domain.
        selected = Wizard.with_context(
            active_model="res.partner", active_ids=self.customer.ids, active_domain=domain
        ).create({})
        self.assertEqual(selected.partner_ids, self.customer)
        # The list's Export button with nothing selected: the filters.
        filtered = Wizard.with_context(active_model="res.partner", active_ids=[], active_domain=domain).create({})
        self.assertEqual(filtered.partner_ids, self.hn_customer)
        # The whole filtered list selected beyond the web client's id limit.
        self.env["ir.config_parameter"].set_param("web.active_ids_limit", 1)
        everything = Wizard.with_context(
            active_model="res.partner", active_ids=self.dni_customer.ids, active_domain=domain
        ).create({})
        self.assertEqual(everything.partner_ids, self.hn_customer)
        # Contacts and non-customers are not exported as customers.
        mixed = Wizard.with_context(active_model="res.partner", active_ids=(self.customer | self.contact).ids).create(
            {}
        )
        self.assertEqual(mixed.partner_ids, self.customer)


@tagged("post_install", "-at_install")
class TestCustomerExportRoundTrip(ExportCase):
    """Export, delete, import the export: the same customers and contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_export_customers(
            name="=Importadora Fórmula S.A.C.", customer_description="@descripción", comment="Nota interna"
        )
        cls.env["res.partner"].create(
            {"name": "Contacto Sula", "parent_id": cls.hn_customer.id, "email": "sula@example.hn"}
        )

    def _delete_customers(self):
        """Make the database 'empty' of these customers: what the export
        must be enough to rebuild."""
        (self.customers.child_ids | self.customers).unlink()

    def _round_trip(self, files):
        before = {p.vat: p.read(COMPARED_FIELDS)[0] for p in self.customers}
        comments = {p.vat: p.comment for p in self.customers}
        contacts_before = {
            p.vat: sorted((c.name, c.function, c.phone, c.email, c.is_operations_contact) for c in p.child_ids)
            for p in self.customers
        }
        self._delete_customers()
        self.assertFalse(self.env["res.partner"].search([("vat", "in", list(before))]))
        wizard = self.env["customer.import.wizard"].with_user(self.user_manager).create(files)
        wizard.action_preview()
        self.assertEqual((wizard.count_error, wizard.count_contact_error), (0, 0), wizard.preview_html)
        wizard.action_import()
        self.assertEqual(wizard.result_created, 3)
        again = self.env["res.partner"].search([("vat", "in", list(before)), ("is_registered_customer", "=", True)])
        self.assertEqual(len(again), 3)
        for partner in again:
            restored = partner.read(COMPARED_FIELDS)[0]
            for field_name in COMPARED_FIELDS:
                self.assertEqual(restored[field_name], before[partner.vat][field_name], field_name)
            self.assertEqual(bool(partner.comment), bool(comments[partner.vat]))
            contacts = sorted(
                (c.name, c.function, c.phone, c.email, c.is_operations_contact) for c in partner.child_ids
            )
            self.assertEqual(contacts, contacts_before[partner.vat])

    def test_round_trip_xlsx(self):
        data = self._export("xlsx")
        self._round_trip({"file": base64.b64encode(data), "filename": "clientes.xlsx"})

    def test_round_trip_csv(self):
        customers, contacts = self._export("csv"), self._export("csv_contacts")
        self._round_trip(
            {
                "file": base64.b64encode(customers),
                "filename": "clientes.csv",
                "contact_file": base64.b64encode(contacts),
                "contact_filename": "contactos.csv",
            }
        )
