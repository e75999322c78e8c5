import base64
import datetime
import io
import re
import zipfile

import openpyxl
from stdnum.pe import ruc

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet
from .common import ImportCase

HEADERS = [column.header for column in schema.CUSTOMER_COLUMNS]
CONTACT_HEADERS = [column.header for column in schema.CONTACT_COLUMNS]
KEYS = [column.key for column in schema.CUSTOMER_COLUMNS]


def ruc_number(body):
    body = f"20{body:08d}"
    return body + ruc.calc_check_digit(body)


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
    return [base.get(key, None) for key in KEYS]


def contact_row(**values):
    base = {"customer_vat": "20512345671", "name": "Contacto Uno", "email": "c1@import.example.pe"}
    base.update(values)
    return [base.get(column.key, None) for column in schema.CONTACT_COLUMNS]


def make_workbook(rows, contacts=(), headers=HEADERS):
    workbook = openpyxl.Workbook()
    customers = workbook.active
    customers.title = "Clientes"
    customers.append(headers)
    for row in rows:
        customers.append(row)
    sheet_contacts = workbook.create_sheet("Contactos")
    sheet_contacts.append(CONTACT_HEADERS)
    for row in contacts:
        sheet_contacts.append(row)
    return workbook


def save(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_xlsx(rows, contacts=(), headers=HEADERS):
    return save(make_workbook(rows, contacts, headers))


def make_csv(rows, delimiter=",", encoding="utf-8", bom=False, headers=HEADERS):
    lines = [delimiter.join(headers)] + [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    data = "\r\n".join(lines).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@tagged("post_install", "-at_install")
class TestCustomerImportTemplate(ImportCase):
    def test_template_xlsx(self):
        wizard = self.env["customer.import.wizard"].with_user(self.user_importer).create({})
        action = wizard.action_download_template()
        self.assertIn("/template_file/plantilla_clientes.xlsx", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        self.assertEqual(workbook.sheetnames, ["Clientes", "Contactos", "Listas"])
        self.assertEqual(workbook["Listas"].sheet_state, "hidden")
        customers, contacts = workbook["Clientes"], workbook["Contactos"]
        header = [c.value for c in customers[1]]
        self.assertEqual(header[:3], ["Tipo de documento *", "Número de documento *", "Nombre o razón social *"])
        self.assertIn("Teléfono secundario", header, "optional columns carry no *")
        self.assertIn("Obligatorio", customers["A1"].comment.text)
        self.assertIn("Opcional", customers["D1"].comment.text)
        self.assertEqual(customers["B2"].value, "20512345671", "an example row")
        self.assertEqual(customers["B2"].number_format, "@", "document numbers are text")
        self.assertEqual(contacts["A2"].value, "20512345671")
        # Drop-downs: document type, person type, department, country,
        # WhatsApp, category, class, detraction; on contacts the main flag.
        validated = {}
        for validation in customers.data_validations.dataValidation:
            column = str(validation.sqref).split(":")[0].rstrip("0123456789")
            validated[header[openpyxl.utils.column_index_from_string(column) - 1]] = validation.formula1
        for column in (
            "Tipo de documento *",
            "Tipo de persona",
            "Departamento",
            "País",
            "Categoría",
            "Clase de cliente",
            "Teléfono es WhatsApp",
            "Solicita detracción",
        ):
            self.assertIn(column, validated)
            self.assertTrue(validated[column].startswith("=Listas!$"), validated[column])
        self.assertEqual(len(contacts.data_validations.dataValidation), 1)
        lists = {c[0].value: [x.value for x in c[1:] if x.value] for c in workbook["Listas"].iter_cols()}
        self.assertIn("RUC", lists["document_type"])
        self.assertIn("RTN", lists["document_type"])
        self.assertIn("Francisco Morazán", lists["state"])
        self.assertIn("Lima", lists["state"])
        self.assertEqual(lists["company_type"], ["Natural", "Jurídica"])
        self.assertEqual(set(lists["category"]), {"PRO", "NORMAL"})
        self.assertIn(self.env.ref("base.hn").name, lists["country"])
        # The template itself imports: its example rows are valid.
        preview = self._wizard(base64.b64decode(wizard.template_file))
        preview.action_preview()
        self.assertEqual((preview.count_create, preview.count_error, preview.count_contact_error), (1, 0, 0))

    def test_template_csv(self):
        wizard = self.env["customer.import.wizard"].with_user(self.user_importer).create({})
        wizard.action_download_template_csv()
        customers = base64.b64decode(wizard.template_file)
        self.assertTrue(customers.startswith("\ufeffTipo de documento *;Número de documento *;".encode()))
        wizard.action_download_contact_template_csv()
        contacts = base64.b64decode(wizard.template_file)
        self.assertTrue(contacts.startswith("\ufeffNúmero de documento del cliente *;Nombre *;".encode()))
        preview = self._wizard(customers, "plantilla_clientes.csv")
        preview.contact_file = base64.b64encode(contacts)
        preview.contact_filename = "plantilla_contactos.csv"
        preview.action_preview()
        self.assertEqual((preview.count_create, preview.count_contacts, preview.count_error), (1, 1, 0))


@tagged("post_install", "-at_install")
class TestCustomerImport(ImportCase):
    def test_preview_create_update_and_errors(self):
        existing = self._create_customer(vat="20603456786", email="existente@import.example.pe", name="Existente")
        by_email = self._create_customer(vat="20100070970", email="poremail@import.example.pe", name="Por email")
        other = self._create_customer(vat="20131312955", email="otro.cliente@import.example.pe", name="Otro")
        fourth = self._create_customer(vat=ruc_number(7654321), email="cuarto@import.example.pe", name="Cuarto")
        rows = [
            customer_row(),
            customer_row(vat="20603456786", email="renombrado@import.example.pe", name="Existente Renombrado"),
            customer_row(vat="20100070970", email="POREMAIL@import.example.pe", name="Match por email"),
            customer_row(vat="10456789124", email="poremail@import.example.pe", name="Otro RUC mismo email"),
            customer_row(vat="20512345670", email="malo@@x", phone=None, state="Atlántida", name="Fila Mala"),
            customer_row(email="uno@import.example.pe", vat=ruc_number(1234567), name="Duplicado en archivo"),
            customer_row(vat=fourth.vat, email="otro.cliente@import.example.pe", name="Email ajeno"),
        ]
        wizard = self._wizard(make_xlsx(rows))
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual((wizard.count_total, wizard.count_create, wizard.count_update), (7, 1, 2))
        self.assertEqual(wizard.count_error, 4)
        analysis = self._analyse(wizard)
        by_row = {r["row"]: r for r in analysis["rows"]}
        self.assertEqual(by_row[3]["partner"], existing, "matched by document type + number")
        self.assertEqual(by_row[4]["partner"], by_email, "then by e-mail, same document")
        # An e-mail match with another document never rewrites the
        # customer's identity: an error naming both customers.
        identity = [m for c, m in by_row[5]["errors"] if c == "email" and "does not change" in m]
        self.assertEqual(len(identity), 1, by_row[5]["errors"])
        for name in ("Por email", "Otro RUC mismo email", "20100070970", "10456789124"):
            self.assertIn(name, identity[0])
        bad = by_row[6]["errors"]
        self.assertEqual(
            sorted(column for column, _m in bad), ["email", "phone", "state", "vat"], "every error of the row"
        )
        self.assertIn("row 2", " ".join(m for _c, m in by_row[7]["errors"]), "duplicate inside the file")
        self.assertIn(other.name, " ".join(m for _c, m in by_row[8]["errors"]), "duplicate of another customer")
        self.assertIn("Número de documento", wizard.preview_html, "errors name the column")
        self.assertIn("Fila Mala", wizard.preview_html)
        self.assertTrue(wizard.rejected_file, "the rows with errors can be downloaded at once")
        # Errors and no opt-in: nothing is written.
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self._by_email("uno@import.example.pe"))
        self.assertEqual(existing.name, "Existente")
        # Only the valid rows.
        wizard.import_valid_only = True
        wizard.action_import()
        self.assertEqual((wizard.result_created, wizard.result_updated, wizard.result_skipped), (1, 2, 4))
        self.assertEqual(existing.name, "Existente Renombrado")
        self.assertEqual(existing.email, "renombrado@import.example.pe")
        self.assertEqual(by_email.vat, "20100070970", "the document is never rewritten by an e-mail match")
        self.assertEqual(by_email.name, "Match por email")
        created = self._by_email("uno@import.example.pe")
        self.assertTrue(created.is_registered_customer)
        self.assertEqual(created.customer_category_id.code, "PRO")
        self.assertTrue(created.detraction_required)
        self.assertTrue(created.is_company, "a RUC 20 is a company")
        self.assertEqual(created.state_id, self.state_lima)
        rejected = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.rejected_file)))
        header = [c.value for c in rejected["Clientes"][1]]
        self.assertEqual(header[-1], "Errores")
        rejected_rows = list(rejected["Clientes"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [r[2] for r in rejected_rows], ["Otro RUC mismo email", "Fila Mala", "Duplicado en archivo", "Email ajeno"]
        )
        self.assertIn("Teléfono:", rejected_rows[1][-1])
        self.assertIn("Departamento:", rejected_rows[1][-1])
        # The rejected file, fixed, uploads again (its Errors column is ignored).
        fixed = self._wizard(base64.b64decode(wizard.rejected_file))
        fixed.action_preview()
        self.assertEqual(fixed.count_total, 4)

    def test_empty_document_type_defaults_from_country(self):
        """As on the form: an empty type is the country's own document (RUC in
        Peru, RTN in Honduras), never Odoo's generic VAT."""
        rows = [
            customer_row(document_type=None),
            customer_row(
                document_type=None,
                vat="05019012345678",
                name="Exportadora Sula S.A.",
                country="HN",
                state="Cortés",
                city="San Pedro Sula",
                email="sula@import.example.hn",
                phone="+504 2550 0000",
                company_type="Jurídica",
            ),
        ]
        wizard = self._wizard(make_xlsx(rows))
        wizard.action_import()
        self.assertEqual(wizard.result_created, 2)
        self.assertEqual(self._by_email("uno@import.example.pe").l10n_latam_identification_type_id, self.type_ruc)
        self.assertEqual(self._by_email("sula@import.example.hn").l10n_latam_identification_type_id, self.type_rtn)

    def test_update_writes_explicit_values_only(self):
        customer = self._create_customer(detraction_required=True, mobile="+51 999 111 222", city="Lima")
        row = customer_row(detraction_required="No", city=None, country=None, name="Nuevo Nombre")
        wizard = self._wizard(make_xlsx([row]))
        wizard.action_import()
        self.assertEqual(wizard.result_updated, 1)
        self.assertFalse(customer.detraction_required, "No is written")
        self.assertEqual(customer.mobile, "+51 999 111 222", "an empty cell keeps the value")
        self.assertEqual(customer.city, "Lima")
        self.assertEqual(customer.name, "Nuevo Nombre")
        self.assertEqual(customer.country_id, self.pe)

    def test_contacts_sheet(self):
        registered = self._create_customer(vat="20603456786", email="registrado@import.example.pe")
        self.env["res.partner"].create(
            {"name": "Jefa Actual", "parent_id": registered.id, "is_operations_contact": True}
        )
        data = make_xlsx(
            [
                customer_row(),
                customer_row(document_type="DNI", vat="01234567", email="dni@import.example.pe", name="Persona"),
            ],
            [
                contact_row(is_operations_contact="Sí"),
                contact_row(name="Segunda Principal", email=None, is_operations_contact="Sí"),
                contact_row(customer_vat=1234567, name="Por DNI sin cero", email=None),
                contact_row(customer_vat="20603456786", name="Del registrado", email="reg@import.example.pe"),
                contact_row(customer_vat="20603456786", name="Otra Jefa", email=None, is_operations_contact="Sí"),
                contact_row(customer_vat="20100070970", name="Sin cliente"),
                contact_row(name=None, email="no-es-email"),
            ],
        )
        wizard = self._wizard(data, import_valid_only=True)
        analysis = self._analyse(wizard)
        errors = {c["row"]: [column for column, _m in c["errors"]] for c in analysis["contacts"]}
        self.assertEqual(
            errors,
            {
                2: [],
                3: ["is_operations_contact"],
                4: [],
                5: [],
                6: ["is_operations_contact"],
                7: ["customer_vat"],
                8: ["name", "email"],
            },
        )
        wizard.action_preview()
        self.assertEqual((wizard.count_contacts, wizard.count_contact_error), (7, 4))
        wizard.action_import()
        self.assertEqual(wizard.result_contacts, 3)
        customer = self._by_email("uno@import.example.pe")
        self.assertEqual(customer.child_ids.mapped("name"), ["Contacto Uno"])
        self.assertTrue(customer.child_ids.is_operations_contact)
        person = self._by_email("dni@import.example.pe")
        self.assertEqual(person.child_ids.name, "Por DNI sin cero", "linked despite the lost leading zero")
        self.assertIn("Del registrado", registered.child_ids.mapped("name"))
        # Importing the same contact again updates it instead of adding one.
        again = make_xlsx([], [contact_row(customer_vat="20603456786", name="DEL REGISTRADO", function="Gerente")])
        self._wizard(again).action_import()
        contact = registered.child_ids.filtered(lambda c: c.name.lower() == "del registrado")
        self.assertEqual(len(contact), 1)
        self.assertEqual(contact.function, "Gerente")

    def test_csv_encodings_and_separators(self):
        row = customer_row(name="Compañía Ñandú S.A.C.", city="Jesús María", phone="+51 1 4445555")
        for label, data in (
            ("utf-8 ,", make_csv([row])),
            ("utf-8 bom ;", make_csv([row], delimiter=";", bom=True)),
            ("latin-1 ;", make_csv([row], delimiter=";", encoding="latin-1")),
            ("windows-1252 tab", make_csv([row], delimiter="\t", encoding="cp1252")),
            ("utf-16 tab", make_csv([row], delimiter="\t", encoding="utf-16")),
        ):
            with self.subTest(label):
                analysis = self._analyse(self._wizard(data, "clientes.csv"))
                self.assertEqual(analysis["rows"][0]["vals"]["name"], "Compañía Ñandú S.A.C.")
                self.assertEqual(analysis["rows"][0]["vals"]["city"], "Jesús María")
                self.assertFalse(analysis["rows"][0]["errors"])

    def test_csv_with_contacts_file(self):
        contacts = make_csv([contact_row(is_operations_contact="Sí")], headers=CONTACT_HEADERS)
        wizard = self._wizard(make_csv([customer_row()]), "clientes.csv")
        wizard.write({"contact_file": base64.b64encode(contacts), "contact_filename": "contactos.csv"})
        wizard.action_import()
        self.assertEqual((wizard.result_created, wizard.result_contacts), (1, 1))
        self.assertEqual(self._by_email("uno@import.example.pe").child_ids.name, "Contacto Uno")

    def test_numbers_dates_and_leading_zeros(self):
        rows = [
            customer_row(document_type="DNI", vat=1234567, phone=987654321.0, email="a@import.example.pe"),
            customer_row(document_type="RUC", vat=20100070970, phone=14445555, email="b@import.example.pe"),
            customer_row(
                document_type="RTN",
                vat=8011999012345,
                country="HN",
                state="Francisco Morazán",
                city="Tegucigalpa",
                company_type="Jurídica",
                email="c@import.example.pe",
            ),
            customer_row(
                document_type=self.env.ref("l10n_latam_base.it_pass").name,
                vat=1234567,
                email="d@import.example.pe",
                country="CL",
                state=None,
            ),
            customer_row(vat=ruc_number(111), phone=datetime.datetime(2024, 1, 5), email="e@import.example.pe"),
            customer_row(document_type="DNI", vat=datetime.date(2024, 1, 5), email="f@import.example.pe"),
            customer_row(document_type="RTN", vat=1234567890123456789, country="HN", email="g@import.example.pe"),
        ]
        analysis = self._analyse(self._wizard(make_xlsx(rows)))
        dni, ruc_row, rtn, passport, phone_date, vat_date, rounded = analysis["rows"]
        self.assertEqual(dni["vals"]["vat"], "01234567", "leading zero restored")
        self.assertEqual(dni["vals"]["phone"], "987654321", "no trailing .0")
        self.assertFalse(dni["errors"])
        self.assertEqual(ruc_row["vals"]["vat"], "20100070970")
        self.assertFalse(ruc_row["errors"])
        self.assertEqual(rtn["vals"]["vat"], "08011999012345", "RTN padded to 14 digits")
        self.assertFalse(rtn["errors"])
        self.assertEqual([c for c, _m in passport["errors"]], ["vat"], "zeros of a passport cannot be restored")
        self.assertIn("type it as text", passport["errors"][0][1])
        self.assertEqual([c for c, _m in phone_date["errors"]], ["phone"])
        self.assertIn("2024-01-05", phone_date["errors"][0][1])
        self.assertIn("vat", [c for c, _m in vat_date["errors"]])
        self.assertIn("rounded", " ".join(m for _c, m in rounded["errors"]))

    def test_bad_files(self):
        self.assertIn("Choose a file", self._refusal(b""))
        self.assertIn("not an Excel", self._refusal(b"%PDF-1.4 not a sheet", "clientes.pdf"))
        self.assertIn("not an Excel", self._refusal(b"\x00\x01binary\x00" * 10, "clientes.csv"))
        self.assertIn("damaged", self._refusal(b"PK\x03\x04garbage" * 10))
        self.assertIn("damaged", self._refusal(b"plain text", "clientes.xlsx"))
        self.assertIn("password-protected", self._refusal(sheet.OLE_MAGIC + b"\x00" * 100))
        self.assertIn("no header row", self._refusal(b"\r\n\r\n", "clientes.csv"))
        # Zip bomb: a small archive whose member inflates 1000 times.
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
        self.assertLess(len(bomb.getvalue()), 100_000)
        self.assertIn("too large", self._refusal(bomb.getvalue()))
        # A valid .xlsx cut in half.
        self.assertIn("damaged", self._refusal(make_xlsx([customer_row()])[:3000]))
        # A CSV field far beyond any sane length (csv module limit).
        self.assertIn("cannot be read", self._refusal(make_csv([["x" * 200_000] * 3]), "clientes.csv"))
        # Bad input changes nothing.
        self.assertFalse(self.env["customer.import.job"].search([]))

    def test_formulas(self):
        workbook = make_workbook([customer_row(name='=CONCATENATE("Importadora ","Dos")')])
        data = save(workbook)  # openpyxl stores no cached value: never calculated
        message = self._refusal(data)
        self.assertIn("formulas without a calculated value", message)
        self.assertIn("Clientes!C2", message)
        # What Excel saves: the formula and its cached value. The value is read.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        sheet_xml = members["xl/worksheets/sheet1.xml"].decode()
        sheet_xml, count = re.subn(
            r'<c r="C2"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
            r'<c r="C2" t="str"><f>\2</f><v>Importadora Dos</v>',
            sheet_xml,
        )
        self.assertEqual(count, 1)
        members["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        analysis = self._analyse(self._wizard(out.getvalue()))
        self.assertEqual(analysis["rows"][0]["vals"]["name"], "Importadora Dos")
        self.assertFalse(analysis["rows"][0]["errors"])

    def test_row_bounds(self):
        workbook = make_workbook([customer_row()])
        workbook["Clientes"].cell(row=1_000_000, column=1, value=" ")  # "used" down to row 1,000,000
        analysis = self._analyse(self._wizard(save(workbook)))
        self.assertEqual(len(analysis["rows"]), 1, "reading stops after a run of empty rows")
        self.patch(sheet, "MAX_ROWS", 2)
        rows = [customer_row(vat=ruc_number(i), email=f"n{i}@import.example.pe") for i in range(3)]
        self.assertIn("more than 2 rows", self._refusal(make_xlsx(rows)))

    def test_all_or_nothing(self):
        """A failure while writing (here: another user registered the
        second e-mail between the check and the write) writes nothing."""
        rows = [customer_row(), customer_row(vat="20603456786", email="dos@import.example.pe", name="Dos")]
        wizard = self._wizard(make_xlsx(rows))
        analysis = self._analyse(wizard)
        self.assertFalse([r for r in analysis["rows"] if r["errors"]])
        self._create_customer(vat="20100070970", email="dos@import.example.pe", name="Intruso")
        with self.assertRaises(UserError) as ctx:
            engine = wizard.env["customer.import.engine"]
            engine._write_rows([engine._compact(r) for r in analysis["rows"]], [])
        self.assertIn("Nothing was imported", str(ctx.exception))
        self.assertIn("Intruso", str(ctx.exception))
        self.assertFalse(self._by_email("uno@import.example.pe"))
        # Through the button the file is checked again: that row now has
        # the e-mail of a customer with another document, an error naming
        # both (an import never rewrites a customer's document).
        row = self._analyse(wizard)["rows"][1]
        self.assertEqual(row["action"], "error")
        self.assertIn("Intruso", row["errors"][0][1])
        self.assertIn("Dos", row["errors"][0][1])

    def test_batched_queries(self):
        """Reading, checking and matching do not cost a query per row."""
        rows = [customer_row(vat=ruc_number(5000 + i), email=f"q{i}@import.example.pe") for i in range(30)]
        self._create_customer(vat=ruc_number(5000), email="q0@import.example.pe", name="Existente")
        small, big = self._wizard(make_xlsx(rows[:5])), self._wizard(make_xlsx(rows))
        self._analyse(small), self._analyse(big)  # warm the caches (catalogs, the wizards' files)
        counts = []
        for wizard in (small, big):
            start = self.env.cr.sql_log_count
            analysis = self._analyse(wizard)
            counts.append(self.env.cr.sql_log_count - start)
            self.assertEqual(analysis["rows"][0]["action"], "update")
        self.assertEqual(counts[0], counts[1], "the same queries for 5 rows as for 30")

    def test_permissions(self):
        data = make_xlsx([customer_row()])
        for user in (self.user_view, self.user_create, self.user_edit, self.user_delete):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._wizard(data, user=user).action_preview()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._wizard(data, user=user).action_import()
        with self.assertRaises(AccessError):
            self._wizard(data, user=self.user_plain)
        for user in (self.user_importer, self.user_manager):
            wizard = self._wizard(
                make_xlsx([customer_row(email=f"{user.login}@import.example.pe", vat=ruc_number(user.id))]), user=user
            )
            wizard.action_import()
            self.assertEqual(wizard.result_created, 1)

    def test_form_flow(self):
        Wizard = self.env["customer.import.wizard"].with_user(self.user_importer)
        form = Form(Wizard.with_context(default_filename="clientes.csv"))
        form.file = base64.b64encode(make_csv([customer_row()]))
        wizard = form.save()
        self.assertTrue(wizard.is_csv)
        wizard.action_preview()
        self.assertEqual(wizard.count_create, 1)
        wizard.action_back()
        self.assertEqual(wizard.state, "upload")
        wizard.action_import()
        self.assertEqual(wizard.result_created, 1)
