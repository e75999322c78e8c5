"""Reading and writing the customer spreadsheets (.xlsx with openpyxl, .csv
with the csv module): column definitions, bounded streaming reading,
neutralised output.

Pure Python (no Odoo import). Problems are raised as
:class:`SpreadsheetError` with a rule code and parameters; the user's text
is produced by the import wizard. Headers and the template's notes are
Spanish on purpose: they are the file's vocabulary, not UI strings.
"""

import csv
import datetime
import io
import mimetypes
import re
import shutil
import unicodedata
import zipfile
import zlib

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import customer_schema as schema
from . import document_number as dn

CUSTOMER_SHEET = "Clientes"
CONTACT_SHEET = "Contactos"
LISTS_SHEET = "Listas"

CUSTOMER_COLUMNS = schema.CUSTOMER_COLUMNS
CONTACT_COLUMNS = schema.CONTACT_COLUMNS
EXPORT_COLUMNS = schema.EXPORT_COLUMNS
CONTACT_SUMMARY_COLUMN = schema.CONTACT_SUMMARY
ERRORS_HEADER = schema.ERRORS.header
YES, NO = "Sí", "No"
PERSON_TYPES = {
    "natural": "person",
    "persona natural": "person",
    "person": "person",
    "individual": "person",
    "juridica": "company",
    "persona juridica": "company",
    "company": "company",
    "empresa": "company",
}
PERSON_TYPE_LABELS = {"person": "Natural", "company": "Jurídica"}

# Bounds against hostile or broken files.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ROWS = 200_000
MAX_EMPTY_ROWS = 1_000
MAX_COLUMNS = 60
# Rows read, checked and matched together: one query per batch for the
# duplicates, one create per batch, one background job per batch.
BATCH_SIZE = 2000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and legacy .xls
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
# Excel keeps 15 significant digits: a longer number typed as a number is
# already rounded, its digits cannot be trusted.
MAX_EXACT_NUMBER = 10**15
INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    def __init__(self, rule, **params):
        super().__init__(rule)
        self.rule = rule
        self.params = params


def fold(text):
    """Header/label comparison key: no accents, no '*', lower case."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.replace("*", " ").lower().split())


def cell_text(value):
    """Text of a cell as a user typed it: whole numbers without '.0', dates
    as ISO dates, strings stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def is_date(value):
    return isinstance(value, datetime.date | datetime.time | datetime.timedelta)


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_bool(text):
    folded = fold(text)
    if folded in ("", "no", "n", "false", "0", "falso"):
        return False
    if folded in ("si", "s", "yes", "y", "true", "1", "x", "verdadero"):
        return True
    return None


def neutralize(value):
    """Prefix text that a spreadsheet would run as a formula (CSV/formula
    injection): cells starting with = + - @ tab or CR."""
    if isinstance(value, str) and value.startswith(INJECTION_PREFIXES):
        return "'" + value
    return value


def unneutralize(text):
    """Undo :func:`neutralize` on re-import (``'+51 999`` → ``+51 999``)."""
    if isinstance(text, str) and len(text) > 1 and text[0] == "'" and text[1:].startswith(INJECTION_PREFIXES):
        return text[1:]
    return text


def document_text(value, kind):
    """A document number cell as text. Excel drops the leading zeros of a
    number typed as a number: they are padded back when only one length
    fits the kind. Returns ``(text, problem)`` with problem ``None``,
    ``"rounded"`` (too many digits for Excel) or ``"date"``."""
    if is_date(value):
        return cell_text(value), "date"
    text = cell_text(value)
    if is_number(value):
        if abs(value) >= MAX_EXACT_NUMBER:
            return text, "rounded"
        if isinstance(value, float) and not value.is_integer():
            return text, None  # the validation names the bad number
        return dn.restore_leading_zeros(kind, text), None
    return text, None


# ----------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------
def _records(rows, mapping, where, first_number=2):
    """Yield ``(row_number, {key: raw value})`` for the non-empty rows.
    Stops after MAX_EMPTY_ROWS empty rows in a row (a sheet "used" down to
    row 1,048,576) and refuses more than MAX_ROWS rows. Whatever the reader
    raises on a damaged row (openpyxl's XML parser, zlib, the csv module)
    becomes a "read_error" naming the file, the sheet and the row."""
    items = list(mapping.items())
    empty_run = count = 0
    number = first_number
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except SpreadsheetError:
            raise
        except Exception as err:  # any reader failure on a damaged file
            raise SpreadsheetError("read_error", row=number, **where) from err
        width = len(row)
        values = {key: row[index] for index, key in items if index < width}
        current, number = number, number + 1
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values.values()):
            empty_run += 1
            if empty_run >= MAX_EMPTY_ROWS:
                return
            continue
        empty_run = 0
        count += 1
        if count > MAX_ROWS:
            raise SpreadsheetError("too_many_rows", max=MAX_ROWS)
        yield current, values


class Table:
    """One sheet of a file: its header row and a way to stream its data
    rows once a mapping (file column -> schema column key) is chosen."""

    def __init__(self, name, header, rows_factory, columns, filename=""):
        self.name = name
        self.filename = filename
        self.columns = columns
        self.headers = ["" if h is None else str(h).strip() for h in header]
        self.mapping = {}
        self.implied = {}
        self._rows_factory = rows_factory

    def records(self):
        where = {"file": self.filename, "sheet": self.name}
        records = _records(self._rows_factory(), self.mapping, where)
        if not self.implied:
            return records
        return self._with_implied(records)

    def _with_implied(self, records):
        for number, values in records:
            for key, value in self.implied.items():
                if values.get(key) in (None, ""):
                    values[key] = value
            yield number, values


class Spreadsheet:
    """An opened upload: ``customers()`` and ``contacts()`` stream
    ``(row_number, {key: raw value})``; ``close()`` frees the file."""

    def __init__(self, customers, contacts=None, closers=()):
        self.customer_table = customers
        self.contact_table = contacts
        self._closers = list(closers)

    def tables(self):
        return [t for t in (self.customer_table, self.contact_table) if t]

    def customers(self):
        return self.customer_table.records()

    def contacts(self):
        return self.contact_table.records() if self.contact_table else iter(())

    def close(self):
        for closer in self._closers:
            closer()
        self._closers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise SpreadsheetError("corrupted") from err
    total = 0
    for info in infos:
        # Declared sizes: zipfile never inflates a member beyond them (it
        # stops and fails the CRC), so checking them bounds the work.
        total += info.file_size
        if info.file_size > MAX_UNCOMPRESSED_BYTES or (
            info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise SpreadsheetError("too_big")
        if info.flag_bits & 0x1:
            raise SpreadsheetError("encrypted_or_xls")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError("too_big")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise SpreadsheetError("corrupted")
    return archive


def _has_formulas(archive):
    """Whether any worksheet holds a formula, read by chunks (bounded
    memory) without parsing the XML."""
    for name in archive.namelist():
        if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
            continue
        try:
            with archive.open(name) as handle:
                tail = b""
                while chunk := handle.read(1 << 20):
                    if FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            # A damaged member: reading its rows will say where.
            return False
    return False


def _uncalculated_formulas(data, sheet_names):
    """Formula cells whose cached value is missing (never calculated, e.g.
    written by a script) or an Excel error (#N/A...), as 'Sheet!A1'."""
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    found = []
    try:
        for name in sheet_names:
            if not name:
                continue
            pairs = zip(
                formulas[name].iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 1),
                values[name].iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 1, values_only=True),
                strict=False,
            )
            for f_row, v_row in pairs:
                for f_cell, value in zip(f_row, v_row, strict=False):
                    formula = getattr(f_cell, "value", None)
                    if (
                        isinstance(formula, str)
                        and formula.startswith("=")
                        and (value is None or value in EXCEL_ERRORS)
                    ):
                        found.append(f"{name}!{f_cell.coordinate}")
                        if len(found) >= 10:
                            return found
    finally:
        formulas.close()
        values.close()
    return found


def download_action(model, record_id, field_name, filename):
    """The client action that downloads a spreadsheet stored in a binary
    field. The URL gives the content type of the file's extension: without
    it, Odoo guesses from the field's first kilobyte, which cannot open an
    .xlsx (a zip is read from its end) and logs a warning at each download
    of a field not stored as an attachment."""
    url = f"/web/content/{model}/{record_id}/{field_name}/{filename}?download=true"
    mimetype = mimetypes.guess_type(filename)[0]
    if mimetype:
        url += f"&mimetype={mimetype}"
    return {"type": "ir.actions.act_url", "url": url, "target": "self"}


def _xlsx_header(worksheet):
    return next(worksheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())


def _xlsx_table(worksheet, name, header, columns, filename):
    """The sheet ``worksheet`` as a Table: its data rows, under ``header``,
    streamed anew each time they are read."""
    return Table(
        name,
        header,
        lambda: worksheet.iter_rows(min_row=2, max_col=len(header), values_only=True),
        columns,
        filename,
    )


def open_xlsx(data, filename=""):
    if data[:8] == OLE_MAGIC:
        raise SpreadsheetError("encrypted_or_xls")
    archive = _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet_names = workbook.sheetnames
    except Exception as err:  # openpyxl raises many kinds on broken files
        raise SpreadsheetError("corrupted") from err
    try:
        customer_name = next((n for n in sheet_names if fold(n) == fold(CUSTOMER_SHEET)), sheet_names[0])
        contact_name = next((n for n in sheet_names if fold(n) == fold(CONTACT_SHEET)), None)
        if _has_formulas(archive):
            cells = _uncalculated_formulas(data, [customer_name, contact_name])
            if cells:
                raise SpreadsheetError("formula", cells=", ".join(cells))
        customer_ws = workbook[customer_name]
        header = _xlsx_header(customer_ws)
        if not any(cell_text(value) for value in header):
            raise SpreadsheetError("empty_sheet", sheet=customer_name)
        customers = _xlsx_table(customer_ws, customer_name, header, CUSTOMER_COLUMNS, filename)
        contacts = None
        if contact_name:
            contact_ws = workbook[contact_name]
            contact_header = _xlsx_header(contact_ws)
            # An empty Contactos sheet is fine: no contacts to import.
            if any(cell_text(value) for value in contact_header):
                contacts = _xlsx_table(contact_ws, contact_name, contact_header, CONTACT_COLUMNS, filename)
    except SpreadsheetError:
        workbook.close()
        raise
    except Exception as err:
        workbook.close()
        raise SpreadsheetError("corrupted") from err
    return Spreadsheet(customers, contacts, closers=[workbook.close])


def _strict_decode(data, encoding, filename):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        # The row of the first bad byte, counted on what decodes before it.
        row = data[: err.start].decode(encoding, errors="replace").count("\n") + 1
        raise SpreadsheetError("undecodable", file=filename, sheet=CUSTOMER_SHEET, row=row, encoding=encoding) from err


def decode_text(data, filename="", sheet=CUSTOMER_SHEET):
    """CSV bytes to text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
    "Unicode text"), else Windows-1252 / Latin-1 (Excel's "CSV" on Windows).
    A file that declares UTF-8 or UTF-16 and breaks it is refused, naming
    the row of the first bad byte: guessing would store garbled names."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return _strict_decode(data[3:], "utf-8", filename)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _strict_decode(data, "utf-16", filename)
    except SpreadsheetError as err:
        err.params["sheet"] = sheet
        raise
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("not_spreadsheet")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_rows(reader, where):
    try:
        yield from reader
    except csv.Error as err:
        raise SpreadsheetError("csv_broken", line=reader.line_num, **where) from err


def csv_table(data, columns, name, filename=""):
    text = decode_text(data, filename, name)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    where = {"file": filename, "sheet": name}
    header = next(_csv_rows(reader, where), None)
    if not header or not any(cell.strip() for cell in header):
        raise SpreadsheetError("empty_sheet", sheet=name)
    return Table(name, header, lambda: _csv_rows(reader, where), columns, filename)


def _kind(data, filename):
    name = (filename or "").lower()
    if data[:2] == b"PK":
        return "xlsx"
    if data[:8] == OLE_MAGIC:
        raise SpreadsheetError("encrypted_or_xls")
    if name.endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError("corrupted")
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise SpreadsheetError("not_spreadsheet")


def open_file(data, filename, contact_data=None, contact_filename=None):
    """Open an upload (.xlsx, or .csv plus an optional contacts .csv); the
    headers are read here (the engine maps them), rows are read lazily."""
    if not data:
        raise SpreadsheetError("empty_file")
    if len(data) > MAX_FILE_BYTES or (contact_data and len(contact_data) > MAX_FILE_BYTES):
        raise SpreadsheetError("too_big")
    if _kind(data, filename) == "xlsx":
        return open_xlsx(data, filename)
    customers = csv_table(data, CUSTOMER_COLUMNS, CUSTOMER_SHEET, filename)
    contacts = None
    if contact_data:
        if _kind(contact_data, contact_filename or "contactos.csv") != "csv":
            raise SpreadsheetError("contacts_not_csv")
        contacts = csv_table(contact_data, CONTACT_COLUMNS, CONTACT_SHEET, contact_filename)
    return Spreadsheet(customers, contacts)


# ----------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------
def header_labels(columns, mark_required=False):
    return [f"{c.header} *" if (mark_required and c.required) else c.header for c in columns]


# Text, so that Excel keeps the leading zeros of a DNI/RTN or a phone.
TEXT_KEYS = ("vat", "customer_vat", "phone", "mobile")


def build_template(customer_row, contact_row, lists):
    """The import template: sheets Clientes and Contactos with an example
    row each, required headers marked with * and a note on every header,
    and drop-down lists (data validation) fed by the hidden sheet Listas.

    ``lists`` maps a column key to its allowed values."""
    workbook = openpyxl.Workbook()
    customers = workbook.active
    customers.title = CUSTOMER_SHEET
    contacts = workbook.create_sheet(CONTACT_SHEET)
    list_sheet = workbook.create_sheet(LISTS_SHEET)
    list_sheet.sheet_state = "hidden"
    list_ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        list_sheet.cell(row=1, column=index, value=key)
        for row_index, value in enumerate(values, start=2):
            list_sheet.cell(row=row_index, column=index, value=value)
        list_ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    for sheet, columns, example in (
        (customers, CUSTOMER_COLUMNS, customer_row),
        (contacts, CONTACT_COLUMNS, contact_row),
    ):
        sheet.append(header_labels(columns, mark_required=True))
        sheet.append([example.get(column.key) or None for column in columns])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            key, header, required = column.key, column.header, column.required
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True, color="C00000" if required else None)
            note = " ".join(filter(None, ["Obligatorio." if required else "Opcional.", column.note]))
            cell.comment = Comment(note, "Plantilla")
            sheet.column_dimensions[letter].width = max(14, len(header) + 4)
            if key in TEXT_KEYS:
                sheet.cell(row=2, column=index).number_format = "@"
            list_key = key if key != "customer_vat" else None
            if list_key in list_ranges:
                validation = DataValidation(
                    type="list",
                    formula1=f"={list_ranges[list_key]}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=header,
                    error="Elija un valor de la lista.",
                )
                validation.add(f"{letter}2:{letter}1048576")
                sheet.add_data_validation(validation)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_only_rows(sheet, columns, rows):
    """Header and rows into a write-only sheet; returns the rows written."""
    sheet.append([WriteOnlyCell(sheet, value=label) for label in header_labels(columns)])
    text_indexes = {index for index, column in enumerate(columns) if column.key in TEXT_KEYS}
    count = 1
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            value = None if value is None or value is False or value == "" else neutralize(value)
            if index in text_indexes and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "@"
                value = cell
            cells.append(value)
        sheet.append(cells)
        count += 1
    return count


_SHEET_MEMBER = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
# <dimension> comes right after <sheetPr> (or first, without one).
_DIMENSION_AFTER = (re.compile(rb"</sheetPr>|<sheetPr[^>]*/>"), re.compile(rb"<worksheet[^>]*>"))


def save_with_dimensions(workbook, sizes):
    """Save a write-only workbook with the <dimension> element it lacks.
    Without it, readers (openpyxl among them) parse a whole sheet just to
    size it, doubling the cost of importing our own exports. ``sizes``:
    (rows, columns) of each sheet, in order."""
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            match = _SHEET_MEMBER.fullmatch(info.filename)
            if not match or int(match[1]) > len(sizes):
                target.writestr(info, source.read(info))
                continue
            rows, columns = sizes[int(match[1]) - 1]
            ref = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}".encode()
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with source.open(info) as src, target.open(member, "w", force_zip64=True) as dst:
                head = src.read(64 * 1024)
                found = _DIMENSION_AFTER[0].search(head) or _DIMENSION_AFTER[1].search(head)
                if found and b"<dimension" not in head:
                    head = head[: found.end()] + b'<dimension ref="' + ref + b'"/>' + head[found.end() :]
                dst.write(head)
                shutil.copyfileobj(src, dst, 1024 * 1024)
    return out.getvalue()


def build_xlsx(customer_rows, contact_rows, customer_columns, contact_columns):
    """Exports and rejected-rows files: sheets Clientes and Contactos,
    streamed (write-only) so that a large catalog keeps memory bounded.
    Rows may be iterators. Empty values leave the cell empty, like Excel."""
    workbook = openpyxl.Workbook(write_only=True)
    sizes = []
    for title, columns, rows in (
        (CUSTOMER_SHEET, customer_columns, customer_rows),
        (CONTACT_SHEET, contact_columns, contact_rows),
    ):
        sheet = workbook.create_sheet(title)
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
        sizes.append((_write_only_rows(sheet, columns, rows), len(columns)))
    return save_with_dimensions(workbook, sizes)


def build_csv(rows, columns, mark_required=False):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(header_labels(columns, mark_required))
    for row in rows:
        writer.writerow([neutralize("" if value is None or value is False else value) for value in row])
    # UTF-8 with BOM: Excel opens it with the accents right.
    return ("\ufeff" + output.getvalue()).encode("utf-8")


class RejectedWriter:
    """The rejected rows as they came, with a last column of errors, ready
    to fix and upload again. Streamed to a write-only workbook, created on
    the first row: ``finish()`` returns the .xlsx, or None when empty."""

    def __init__(self, errors_header=ERRORS_HEADER):
        self.errors_header = errors_header
        self._workbook = None
        self._sheets = {}
        self._sizes = {}

    def _sheet(self, title):
        if self._workbook is None:
            self._workbook = openpyxl.Workbook(write_only=True)
            for name, columns in ((CUSTOMER_SHEET, CUSTOMER_COLUMNS), (CONTACT_SHEET, CONTACT_COLUMNS)):
                sheet = self._workbook.create_sheet(name)
                _write_only_rows(sheet, [*columns, schema.ERRORS._replace(header=self.errors_header)], [])
                self._sheets[name] = sheet
                self._sizes[name] = [1, len(columns) + 1]
        self._sizes[title][0] += 1
        return self._sheets[title]

    def add_customer(self, values, errors):
        self._sheet(CUSTOMER_SHEET).append([neutralize(v) if v != "" else None for v in [*values, errors]])

    def add_contact(self, values, errors):
        self._sheet(CONTACT_SHEET).append([neutralize(v) if v != "" else None for v in [*values, errors]])

    def finish(self):
        if self._workbook is None:
            return None
        workbook, self._workbook = self._workbook, None
        return save_with_dimensions(workbook, [self._sizes[CUSTOMER_SHEET], self._sizes[CONTACT_SHEET]])

    def close(self):
        """Release the streamed sheets (their temporary files) when the
        file is not wanted, e.g. the import was refused."""
        self.finish()
