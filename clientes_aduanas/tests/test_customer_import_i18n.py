"""Spanish texts of the import and export (issue 6), from i18n/es.po.

Run after i18n_src/import_export.po has been merged into es.po
(scripts/i18n.sh): before that merge these strings are still English.
"""

import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_customer_import import ImportCase, contact_row, customer_row, make_xlsx


@tagged("post_install", "-at_install")
class TestCustomerImportSpanish(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_PE")
        cls.env["ir.module.module"]._load_module_terms(["clientes_aduanas"], ["es_PE"], overwrite=True)
        cls.es = cls.env(context=dict(cls.env.context, lang="es_PE"))

    def _es_wizard(self, data, filename="clientes.xlsx"):
        return (
            self.es["customer.import.wizard"]
            .with_user(self.user_importer)
            .create({"file": base64.b64encode(data), "filename": filename})
        )

    def test_file_messages(self):
        with self.assertRaises(UserError) as ctx:
            self._es_wizard(b"%PDF", "clientes.pdf").action_preview()
        self.assertEqual(str(ctx.exception), "El archivo no es una hoja de cálculo Excel (.xlsx) ni CSV.")

    def test_row_messages_name_the_column(self):
        rows = [
            customer_row(),
            customer_row(vat="20603456786", phone=None, name="Repetido"),
            customer_row(vat="20100070970", email="otro@import.example.pe", detraction_required="Tal vez"),
        ]
        wizard = self._es_wizard(make_xlsx(rows, [contact_row(customer_vat="20131312955", name="Huérfano")]))
        wizard.action_preview()
        html = str(wizard.preview_html)
        self.assertIn("Mismo email que la fila 2 de este archivo.", html)
        self.assertIn("<b>Teléfono</b>:", html)
        self.assertIn("<b>Solicita detracción</b>: Escriba Sí o No, no Tal vez.", html)
        self.assertIn("No hay ningún cliente con el documento 20131312955 en el archivo ni en Odoo.", html)
        self.assertIn("Crear", html)
        with self.assertRaises(UserError) as ctx:
            wizard.action_import()
        self.assertIn("filas tienen errores: no se importó nada", str(ctx.exception))
        rejected = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.rejected_file)))
        errors = [row[-1] for row in rejected["Clientes"].iter_rows(min_row=2, values_only=True)]
        self.assertIn("Email: Mismo email que la fila 2 de este archivo.", errors[0])

    def test_labels_menus_and_export(self):
        fields = self.es["customer.import.wizard"].fields_get(["import_valid_only", "count_update"])
        self.assertEqual(fields["import_valid_only"]["string"], "Importar solo las filas válidas")
        self.assertEqual(fields["count_update"]["string"], "A actualizar")
        menu = self.env.ref("clientes_aduanas.customer_import_wizard_menu").with_context(lang="es_PE")
        self.assertEqual(menu.name, "Importar")
        jobs = self.env.ref("clientes_aduanas.customer_import_job_menu").with_context(lang="es_PE")
        self.assertEqual(jobs.name, "Importaciones en segundo plano")
        action = self.env.ref("clientes_aduanas.customer_export_wizard_action").with_context(lang="es_PE")
        self.assertEqual(action.name, "Exportar clientes")
        customer = self._create_customer()
        wizard = (
            self.es["customer.export.wizard"]
            .with_user(self.user_view)
            .with_context(active_model="res.partner", active_ids=customer.ids)
            .create({})
        )
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))["Clientes"]
        header = [c.value for c in sheet[1]]
        self.assertEqual(sheet.cell(row=2, column=header.index("Estado") + 1).value, "Activo")

    def test_background_notification(self):
        rows = [customer_row(vat=v, email=f"es{i}@import.example.pe") for i, v in enumerate(("20603456786",))]
        wizard = self._es_wizard(make_xlsx(rows)).with_context(
            customer_import_background_threshold=0, queue_job__no_delay=True
        )
        wizard.action_import()
        body = wizard.job_id.message_ids[:1].body
        self.assertIn("La importación de clientes clientes.xlsx terminó: 1 creados", str(body))
