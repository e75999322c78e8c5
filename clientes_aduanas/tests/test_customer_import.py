import base64
import io
import json
import zipfile

import openpyxl
from stdnum.pe import ruc

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.job import Job

from ..tools import customer_spreadsheet as sheet
from .common import ClientesAduanasCase

HEADERS = [header for _key, header, _required in sheet.CUSTOMER_COLUMNS]
CONTACT_HEADERS = [header for _key, header, _required in sheet.CONTACT_COLUMNS]


def customer_row(**values):
    base = {
        "document_type": "RUC",
        "vat": "20512345671",
        "name": "Importadora Uno S.A.C.",
        "street": "Av. Uno 100",
        "city": "Lima",
        "state": "Lima",
        "country": "PE",
        "email": "uno@import.example.pe",
        "phone": "+51 1 4445555",
        "category": "PRO",
        "customer_class": "EXTERNO",
        "detraction_required": "Sí",
    }
    base.update(values)
    return [base.get(key, "") for key, _h, _r in sheet.CUSTOMER_COLUMNS]


def contact_row(**values):
    base = {"customer_vat": "20512345671", "name": "Contacto Uno", "email": "c1@import.example.pe"}
    base.update(values)
    return [base.get(key, "") for key, _h, _r in sheet.CONTACT_COLUMNS]


def make_xlsx(rows, contacts=(), headers=HEADERS):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Clientes"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wc = workbook.create_sheet("Contactos")
    wc.append(CONTACT_HEADERS)
    for row in contacts:
        wc.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_csv(rows, delimiter=",", encoding="utf-8", bom=False):
    lines = [delimiter.join(HEADERS)] + [delimiter.join(str(v) for v in row) for row in rows]
    data = "\r\n".join(lines).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@tagged("post_install", "-at_install")
class TestCustomerImport(ClientesAduanasCase):
    def _wizard(self, data, filename="clientes.xlsx", user=None):
        Wizard = self.env["customer.import.wizard"].with_user(user or self.user_manager)
        return Wizard.create({"file": base64.b64encode(data), "filename": filename})

    def _assert_refused(self, data, fragment, filename="clientes.xlsx"):
        wizard = self._wizard(data, filename)
        with self.assertRaises(UserError) as ctx:
            wizard.action_preview()
        self.assertIn(fragment, str(ctx.exception))
        return ctx.exception

    def test_template(self):
        wizard = self.env["customer.import.wizard"].create({})
        action = wizard.action_download_template()
        self.assertIn("/template_file/", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        self.assertEqual(workbook.sheetnames, ["Clientes", "Contactos", "Listas"])
        self.assertEqual(workbook["Listas"].sheet_state, "hidden")
        header = [c.value for c in workbook["Clientes"][1]]
        self.assertIn("Número de documento *", header)
        self.assertIn("Teléfono secundario", header)
        self.assertEqual(workbook["Clientes"]["B2"].value, "20512345671", "an example row")
        formulas = {dv.formula1 for dv in workbook["Clientes"].data_validations.dataValidation}
        self.assertEqual(
            len(formulas),
            8,
            "document type, person type, department, country, WhatsApp, " "category, class, detraction",
        )
        lists = {c[0].value: [x.value for x in c[1:] if x.value] for c in workbook["Listas"].iter_cols()}
        self.assertIn("RUC", lists["document_type"])
        self.assertIn("Francisco Morazán", lists["state"])
        self.assertEqual(lists["company_type"], ["Natural", "Jurídica"])
        # The template itself imports: its example row is valid.
        preview = self._wizard(base64.b64decode(wizard.template_file))
        preview.action_preview()
        self.assertEqual((preview.count_create, preview.count_error), (1, 0))
        wizard.action_download_template_csv()
        self.assertTrue(base64.b64decode(wizard.template_file).startswith(b"\xef\xbb\xbfTipo de documento *;"))

    def test_preview_create_update_and_errors(self):
        existing = self._create_customer(vat="20603456786", email="existente@import.example.pe", name="Existente")
        by_email = self._create_customer(vat="20100070970", email="poremail@import.example.pe", name="Por email")
        rows = [
            customer_row(),
            customer_row(vat="20603456786", email="otro@import.example.pe", name="Existente Renombrado"),
            customer_row(
                vat="10456789124", email="POREMAIL@import.example.pe", document_type="RUC", name="Match por email"
            ),
            customer_row(vat="20512345670", email="malo@@x", phone="", name="Fila Mala"),
            customer_row(email="uno@import.example.pe", vat="20131312955", name="Duplicado en archivo"),
        ]
        wizard = self._wizard(make_xlsx(rows))
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual((wizard.count_create, wizard.count_update, wizard.count_error), (1, 2, 2))
        analysis = wizard._analyse()
        by_row = {r["row"]: r for r in analysis["rows"]}
        self.assertEqual(by_row[3]["partner"], existing)
        self.assertEqual(by_row[4]["partner"], by_email)
        bad_columns = [column for column, _m in by_row[5]["errors"]]
        self.assertEqual(sorted(bad_columns), ["email", "phone", "vat"], "every error of the row is listed")
        self.assertIn("row 2", " ".join(m for _c, m in by_row[6]["errors"]))
        self.assertIn("Número de documento", wizard.preview_html)
        self.assertIn("Fila Mala", wizard.preview_html)
        # Errors and no opt-in: nothing is written.
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self.env["res.partner"].search([("email", "=", "uno@import.example.pe")]))
        # Only the valid rows.
        wizard.import_valid_only = True
        wizard.action_import()
        self.assertEqual((wizard.result_created, wizard.result_updated, wizard.result_skipped), (1, 2, 2))
        self.assertEqual(existing.name, "Existente Renombrado")
        self.assertEqual(existing.email, "otro@import.example.pe")
        created = self.env["res.partner"].search([("email", "=", "uno@import.example.pe")])
        self.assertTrue(created.is_registered_customer)
        self.assertEqual(created.customer_category_id.code, "PRO")
        self.assertTrue(created.detraction_required)
        self.assertEqual(created.state_id, self.state_lima)
        rejected = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.rejected_file)))
        rejected_rows = list(rejected["Clientes"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([r[2] for r in rejected_rows], ["Fila Mala", "Duplicado en archivo"])
        self.assertIn("Teléfono", rejected_rows[0][-1])

    def test_contacts_sheet(self):
        data = make_xlsx(
            [customer_row()],
            [contact_row(is_operations_contact="Sí"), contact_row(name="Sin cliente", customer_vat="20100070970")],
        )
        wizard = self._wizard(data)
        wizard.import_valid_only = True
        wizard.action_preview()
        self.assertEqual(wizard.count_error, 1)
        wizard.action_import()
        customer = self.env["res.partner"].search([("email", "=", "uno@import.example.pe")])
        self.assertEqual(customer.child_ids.mapped("name"), ["Contacto Uno"])
        self.assertTrue(customer.child_ids.is_operations_contact)

    def test_csv_encodings_and_separators(self):
        row = customer_row(name="Compañía Ñandú S.A.C.", city="Jesús María")
        for label, data in (
            ("utf-8", make_csv([row])),
            ("utf-8 bom ;", make_csv([row], delimiter=";", bom=True)),
            ("latin-1 ;", make_csv([row], delimiter=";", encoding="latin-1")),
        ):
            with self.subTest(label):
                wizard = self._wizard(data, "clientes.csv")
                analysis = wizard._analyse()
                self.assertEqual(analysis["rows"][0]["vals"]["name"], "Compañía Ñandú S.A.C.")
                self.assertFalse(analysis["rows"][0]["errors"])

    def test_numbers_dates_and_leading_zeros(self):
        rows = [
            customer_row(
                document_type="DNI", vat=1234567, phone=987654321.0, email="dni@import.example.pe", name="DNI sin cero"
            ),
            customer_row(
                document_type="RUC", vat=20100070970, email="ruc@import.example.pe", name="RUC numérico", phone=14445555
            ),
            customer_row(document_type="DNI", vat=123456, email="corto@import.example.pe", name="DNI corto"),
        ]
        analysis = self._wizard(make_xlsx(rows))._analyse()
        first, second, third = analysis["rows"]
        self.assertEqual(first["vals"]["vat"], "01234567", "leading zero restored")
        self.assertEqual(first["vals"]["phone"], "987654321", "no trailing .0")
        self.assertFalse(first["errors"])
        self.assertEqual(second["vals"]["vat"], "20100070970")
        self.assertFalse(second["errors"])
        self.assertEqual(third["vals"]["vat"], "00123456")
        self.assertFalse(third["errors"], "6 digits pad unambiguously to a DNI of 8")

    def test_bad_files(self):
        self._assert_refused(b"", "Choose a file")
        self._assert_refused(b"\n", "Missing", filename="clientes.csv")
        self._assert_refused(b"just some text, not a sheet", "not an Excel", filename="clientes.pdf")
        self._assert_refused(b"PK\x03\x04garbage" * 10, "damaged")
        self._assert_refused(sheet.OLE_MAGIC + b"\x00" * 100, "password-protected")
        # Zip bomb: a member that inflates far beyond the bound.
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"0" * (sheet.MAX_UNCOMPRESSED_BYTES + 1))
        self._assert_refused(bomb.getvalue(), "too large")
        # Wrong headers: say which are missing and unknown.
        error = self._assert_refused(make_xlsx([["x"]], headers=["Nombre o razón social", "Columna rara"]), "Missing")
        self.assertIn("Número de documento", str(error))
        self.assertIn("Columna rara", str(error))

    def test_formulas(self):
        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws.title = "Clientes"
        ws.append(HEADERS)
        ws.append(customer_row(name='=CONCATENATE("A","B")'))
        out = io.BytesIO()
        workbook.save(out)  # openpyxl stores no cached value for the formula
        error = self._assert_refused(out.getvalue(), "formulas without a calculated value")
        self.assertIn("Clientes!C2", str(error))

    def test_million_empty_rows_are_bounded(self):
        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws.title = "Clientes"
        ws.append(HEADERS)
        ws.append(customer_row())
        ws.cell(row=1_000_000, column=1, value=" ")  # "used range" down to row 1,000,000
        out = io.BytesIO()
        workbook.save(out)
        analysis = self._wizard(out.getvalue())._analyse()
        self.assertEqual(len(analysis["rows"]), 1)

    def test_all_or_nothing(self):
        rows = [customer_row(), customer_row(vat="20603456786", email="dos@import.example.pe", name="Dos")]
        wizard = self._wizard(make_xlsx(rows))
        wizard.action_preview()
        # Between preview and confirm another user registers the second e-mail.
        self._create_customer(vat="20100070970", email="dos@import.example.pe", name="Intruso")
        analysis = wizard._analyse()
        analysis["rows"][1]["action"] = "create"  # as computed at preview time
        with self.assertRaises(UserError) as ctx:
            wizard._write_rows(analysis["rows"], [])
        self.assertIn("Nothing was imported", str(ctx.exception))
        self.assertFalse(self.env["res.partner"].search([("email", "=", "uno@import.example.pe")]))

    def test_permissions(self):
        data = make_xlsx([customer_row()])
        for user in (self.user_view, self.user_create, self.user_edit):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._wizard(data, user=user).action_preview()
        wizard = self._wizard(data, user=self.user_manager)
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.result_created, 1)

    def test_form_flow(self):
        form = Form(self.env["customer.import.wizard"].with_context(default_filename="clientes.xlsx"))
        form.file = base64.b64encode(make_xlsx([customer_row()]))
        wizard = form.save()
        wizard.action_preview()
        self.assertEqual(wizard.count_create, 1)
        wizard.action_back()
        self.assertEqual(wizard.state, "upload")

    def test_background_import_with_queue_job(self):
        rows = []
        for i in range(5):
            body = f"20{70000000 + i:08d}"
            rows.append(
                customer_row(vat=body + ruc.calc_check_digit(body), email=f"bg{i}@import.example.pe", name=f"Fondo {i}")
            )
        contacts = [contact_row(customer_vat=rows[0][1], name="Contacto Fondo")]
        wizard = self._wizard(make_xlsx(rows, contacts)).with_context(customer_import_background_threshold=3)
        wizard.action_import()
        job = wizard.job_id
        self.assertEqual(job.state, "running")
        self.assertFalse(self.env["res.partner"].search([("email", "=like", "bg%@import.example.pe")]))
        queued = self.env["queue.job"].search([("model_name", "=", "customer.import.job.chunk")], order="id")
        self.assertEqual(len(queued), 2, "one customer chunk and the contacts chunk")
        # What the job runner does, in dependency order: customers, then contacts.
        for queued_job in queued.sorted(lambda q: q.records.kind != "customers"):
            Job.load(self.env, queued_job.uuid).perform()
        job.invalidate_recordset()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.created_count, 5)
        self.assertEqual(job.progress, 100.0)
        self.assertTrue(job.message_ids.filtered(lambda m: "5 created" in (m.body or "")))
        parent = self.env["res.partner"].search([("vat", "=", rows[0][1])])
        self.assertEqual(parent.child_ids.name, "Contacto Fondo")

    def test_background_failed_chunk_is_reported(self):
        """Between the analysis and its chunk's turn, another user registered
        the same e-mail: the chunk fails, is recorded, nothing is lost silently."""
        self._create_customer(email="tarde@import.example.pe", name="Llegó antes")
        job = self.env["customer.import.job"].create({"name": "tarde.xlsx", "total_rows": 1})
        vals = self._pe_vals(vat="20100070970", email="tarde@import.example.pe", name="Llegó tarde")
        chunk = self.env["customer.import.job.chunk"].create(
            {
                "job_id": job.id,
                "kind": "customers",
                "row_count": 1,
                "payload": json.dumps([{"row": 2, "vals": vals, "partner_id": False}]),
            }
        )
        chunk._run()
        self.assertEqual(chunk.state, "failed")
        self.assertIn("Llegó antes", chunk.error)
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.failed_rows, 1)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Llegó tarde")]))
