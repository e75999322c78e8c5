import base64
import io
import re
import zipfile

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import customer_schema as schema
from .test_customer_import import ImportCase, customer_row, make_csv, make_xlsx, ruc_number

CUSTOMER = schema.by_key(schema.CUSTOMER_COLUMNS)


def sheet_of(headers_values, contacts=()):
    """An .xlsx with the user's own headers: ``headers_values`` is a list
    of (header, value) pairs, one customer row."""
    headers = [h for h, _v in headers_values]
    return make_xlsx([[v for _h, v in headers_values]], contacts, headers=headers)


@tagged("post_install", "-at_install")
class TestCustomerImportColumns(ImportCase):
    def _import(self, data, filename="clientes.xlsx"):
        wizard = self._wizard(data, filename)
        wizard.action_preview()
        self.assertFalse(wizard.column_ids, "every column recognised")
        self.assertFalse(wizard.missing_columns)
        self.assertEqual((wizard.count_create, wizard.count_error), (1, 0), wizard.preview_html)
        wizard.action_import()
        self.assertEqual(wizard.result_created, 1)
        return wizard

    def test_headers_of_the_peruvian_manual(self):
        data = sheet_of(
            [
                ("Documento", "RUC"),
                ("Número Doc.", "20512345671"),
                ("Nombre/Razón Social", "Manual Cero S.A.C."),
                ("Dirección", "Av. Uno 100"),
                ("Correo electrónico", "cero@cols.example.pe"),
                ("Teléfono", "+51 1 4445555"),
                ("WhatsApp", "Sí"),
                ("Solicita Detracción", "Sí"),
                ("Categoría cliente", "PRO"),
                ("Clase de Cliente", "EXTERNO"),
                ("Información Adicional", "Nota"),
                ("Notificación Emails", "avisos@cols.example.pe"),
                ("Notificación Whatsapp", "+51987654321"),
                ("Descripción", "Cliente del manual"),
            ]
        )
        self._import(data)
        customer = self._by_email("cero@cols.example.pe")
        self.assertEqual((customer.vat, customer.name), ("20512345671", "Manual Cero S.A.C."))
        self.assertTrue(customer.phone_is_whatsapp and customer.detraction_required)
        self.assertEqual(customer.customer_category_id.code, "PRO")
        self.assertEqual(customer.notification_whatsapp, "+51987654321")
        self.assertEqual(customer.customer_description, "Cliente del manual")

    def test_headers_of_the_honduran_manual(self):
        """Spec 004's labels, its document column headed RTN (no type column)."""
        data = sheet_of(
            [
                ("Nombre o Razón Social", "Manual Cuatro S.A."),
                ("RTN", "05019012345678"),
                ("Tipo", "Jurídica"),
                ("Dirección", "Barrio Río de Piedras"),
                ("Ciudad", "San Pedro Sula"),
                ("Departamento", "Cortés"),
                ("Teléfono principal", "+504 2550 0000"),
                ("Teléfono secundario", "+504 9999 0000"),
                ("Email principal", "cuatro@cols.example.hn"),
                ("Email de facturación", "facturas@cols.example.hn"),
                ("Sitio web", "https://cuatro.example.hn"),
                ("Notas", "Observación"),
            ]
        )
        self._import(data)
        customer = self._by_email("cuatro@cols.example.hn")
        self.assertEqual(customer.l10n_latam_identification_type_id, self.type_rtn)
        self.assertEqual(customer.country_id, self.hn)
        self.assertEqual(customer.state_id, self.state_cortes)
        self.assertEqual(customer.billing_email, "facturas@cols.example.hn")
        self.assertEqual(customer.mobile, "+504 9999 0000")

    def test_odoo_labels_in_english_accents_dropped_other_order(self):
        Fields = self.env["ir.model.fields"].with_context(lang="en_US")
        labels = Fields.get_field_string("res.partner")
        data = sheet_of(
            [
                (labels["phone"].upper(), "+51 1 4445555"),
                (labels["email"], "english@cols.example.pe"),
                (labels["street"], "Av. Uno 100"),
                ("company name", "English Labels S.A.C."),
                ("document-number", "20603456786"),
                (labels["l10n_latam_identification_type_id"], "RUC"),
                ("CATEGORIA", "NORMAL"),
                ("pais", "Peru"),
            ]
        )
        self._import(data)
        customer = self._by_email("english@cols.example.pe")
        self.assertEqual((customer.vat, customer.country_id), ("20603456786", self.pe))
        self.assertEqual(customer.customer_category_id.code, "NORMAL")

    def test_odoo_spanish_labels(self):
        """Odoo's own labels in es_PE (what an export from Odoo in Spanish
        has as headers), read from Odoo at run time."""
        self.env["res.lang"]._activate_lang("es_PE")
        labels = self.env["ir.model.fields"].with_context(lang="es_PE").get_field_string("res.partner")
        engine = self.env["customer.import.engine"]
        index = engine._synonyms(schema.CUSTOMER_COLUMNS)
        self.assertEqual(index[schema.header_key(labels["email"])], "email")
        self.assertEqual(index[schema.header_key("correo electronico")], "email")
        self.assertEqual(index[schema.header_key("E-mail")], "email")
        self.assertEqual(index[schema.header_key("Razón social")], "name")
        self.assertEqual(index[schema.header_key("RUC/Documento")], "vat")
        self.assertNotIn(schema.header_key("Estado"), index, "an export column, ignored, never a department")

    def test_unknown_column_mapped_by_hand_saved_and_reused(self):
        headers = [column.header for column in schema.CUSTOMER_COLUMNS]
        position = headers.index("Email")
        headers[position] = "Buzón de la empresa"
        headers.append("Código interno")
        row = [*customer_row(email="buzon@cols.example.pe"), "X-1"]
        data = make_xlsx([row], headers=headers)
        # Saved by an administrator; the importers' imports pick it up.
        wizard = self._wizard(data, user=self.user_manager)
        wizard.action_preview()
        self.assertEqual(
            sorted(wizard.column_ids.mapped("header")), ["Buzón de la empresa", "Código interno"], "shown to map"
        )
        self.assertIn("Email", wizard.missing_columns)
        self.assertIn("Buzón de la empresa", str(wizard.preview_html))
        with self.assertRaises(UserError) as ctx:
            wizard.action_import()
        self.assertIn("Buzón de la empresa", str(ctx.exception))
        self.assertFalse(self._by_email("buzon@cols.example.pe"))
        by_header = {line.header: line for line in wizard.column_ids}
        by_header["Buzón de la empresa"].customer_key = "email"
        by_header["Código interno"].customer_key = schema.IGNORE
        wizard.action_preview()
        self.assertFalse(wizard.missing_columns)
        self.assertEqual((wizard.count_create, wizard.count_error), (1, 0))
        wizard.action_import()
        self.assertEqual(self._by_email("buzon@cols.example.pe").vat, "20512345671")
        saved = self.env["customer.import.mapping"].search([("sheet", "=", "Clientes")])
        self.assertEqual(len(saved), 1)
        # The next file with the same headers: no question asked.
        again = [*customer_row(vat="20603456786", email="buzon2@cols.example.pe", name="Otra"), "X-2"]
        self._import(make_xlsx([again], headers=headers))
        self.assertTrue(self._by_email("buzon2@cols.example.pe"))
        # Other headers: the saved choice does not apply.
        other = self._wizard(make_xlsx([again], headers=[*headers[:-1], "Otra cosa"]))
        other.action_preview()
        self.assertIn("Buzón de la empresa", other.column_ids.mapped("header"))

    def test_each_length_bound(self):
        bounded = [c for c in schema.CUSTOMER_COLUMNS if c.max_length]
        self.assertEqual(CUSTOMER["name"].max_length, 250, "the lookup's bound for names")
        for index, column in enumerate(bounded):
            with self.subTest(column=column.key):
                limit = column.max_length
                value = "9" * (limit + 1) if column.key == "vat" else "a" * (limit + 1)
                row = customer_row(vat=ruc_number(900 + index), email=f"b{index}@cols.example.pe")
                row[list(CUSTOMER).index(column.key)] = value
                rows = self._analyse(self._wizard(make_xlsx([row])))["rows"]
                errors = [m for c, m in rows[0]["errors"] if c == column.key]
                self.assertTrue(any(f"At most {limit} characters" in m for m in errors), (column.key, errors))
                self.assertEqual(rows[0]["action"], "error")
        # At the bound: no length error.
        row = customer_row(name="n" * 250)
        rows = self._analyse(self._wizard(make_xlsx([row])))["rows"]
        self.assertFalse(rows[0]["errors"])
        # Contacts too.
        contact = [c.header for c in schema.CONTACT_COLUMNS]
        data = make_xlsx([customer_row()], [["20512345671", "c" * 251, "f" * 129, None, None, None]])
        contacts = self._analyse(self._wizard(data))["contacts"]
        self.assertEqual(sorted(c for c, _m in contacts[0]["errors"]), ["function", "name"], contact)
        # A 100,000-character name in a CSV: a row error at preview.
        wizard = self._wizard(make_csv([customer_row(name="x" * 100_000)]), "clientes.csv")
        wizard.action_preview()
        self.assertEqual(wizard.count_error, 1)
        self.assertIn("At most 250 characters for Name (this value has 100000)", str(wizard.preview_html))


@tagged("post_install", "-at_install")
class TestCustomerImportReadingErrors(ImportCase):
    def _rewrite_sheet(self, data, change):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        members["xl/worksheets/sheet1.xml"] = change(members["xl/worksheets/sheet1.xml"])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        return out.getvalue()

    def _assert_refused(self, data, filename, *expected):
        wizard = self._wizard(data, filename)
        for action in (wizard.action_preview, wizard.action_import):
            with self.assertRaises(UserError) as ctx:
                action()
            message = str(ctx.exception)
            for text in (filename, *expected, "Nothing was imported"):
                self.assertIn(text, message)
        self.assertFalse(self.env["res.partner"].search([("email", "=like", "%@damaged.example.pe")]))
        self.assertFalse(self.env["customer.import.job"].search([]))
        return message

    def _rows(self, count):
        return [customer_row(vat=ruc_number(800 + i), email=f"d{i}@damaged.example.pe") for i in range(count)]

    def test_damaged_xlsx_rows_after_a_good_header(self):
        # Far enough from the header that the XML reader, which parses by
        # chunks, has handed the header over before it meets the damage.
        data = make_xlsx(self._rows(300))

        def break_row(xml):
            return re.sub(rb'<row r="250"', b'<row r="250"><c r="A250" t="inlineStr"><is><t>x</t></c>', xml, count=1)

        self._assert_refused(self._rewrite_sheet(data, break_row), "roto.xlsx", "sheet Clientes", "row 250")

    def test_damaged_compressed_stream(self):
        """A member whose deflate stream is cut (CRC/zlib errors while
        streaming, after the header was read)."""
        big = make_xlsx(self._rows(400))
        with zipfile.ZipFile(io.BytesIO(big)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
        info = infos["xl/worksheets/sheet1.xml"]
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        middle = start + info.compress_size // 2
        damaged = big[:middle] + bytes(b ^ 0xFF for b in big[middle : middle + 64]) + big[middle + 64 :]
        message = self._assert_refused(damaged, "cortado.xlsx", "sheet Clientes", "row")
        self.assertRegex(message, r"row \d+")

    def test_utf16_csv_with_an_odd_number_of_bytes(self):
        data = make_csv(self._rows(3), delimiter="\t", encoding="utf-16") + b"\x41"
        self._assert_refused(data, "unicode.csv", "sheet Clientes", "row 4", "UTF-16")

    def test_utf8_csv_with_a_bad_byte(self):
        data = b"\xef\xbb\xbf" + make_csv(self._rows(2)) + b"\r\n\xff\xfe\xfd"
        self._assert_refused(data, "bom.csv", "sheet Clientes", "row 4", "UTF-8")

    def test_csv_module_error(self):
        data = make_csv([*self._rows(1), ["x" * 200_000] * 3])
        self._assert_refused(data, "largo.csv", "sheet Clientes", "row 3")

    def test_contacts_csv_reading_error_names_the_contacts_file(self):
        headers = ["Número de documento del cliente", "Nombre"]
        contacts = make_csv([["20512345671", "Ana"]], headers=headers, encoding="utf-16") + b"A"
        wizard = self._wizard(make_csv(self._rows(1)), "clientes.csv")
        wizard.write({"contact_file": base64.b64encode(contacts), "contact_filename": "contactos.csv"})
        with self.assertRaises(UserError) as ctx:
            wizard.action_preview()
        self.assertIn("contactos.csv", str(ctx.exception))
        self.assertIn("sheet Contactos", str(ctx.exception))
