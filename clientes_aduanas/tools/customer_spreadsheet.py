"""Reading and writing the customer spreadsheets (.xlsx with openpyxl, .csv
with the csv module): column definitions, safe reading, neutralised output.

Pure Python (no Odoo import). Problems are raised as
:class:`SpreadsheetError` with a rule code and parameters; the Spanish text is
produced by the import wizard.
"""

import csv
import datetime
import io
import unicodedata
import zipfile

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

from . import document_number as dn

CUSTOMER_SHEET = "Clientes"
CONTACT_SHEET = "Contactos"
LISTS_SHEET = "Listas"

# (key, Spanish header, required). The keys are the import's vocabulary; the
# headers are what users see in the template and in exports.
CUSTOMER_COLUMNS = [
    ("document_type", "Tipo de documento", True),
    ("vat", "Número de documento", True),
    ("name", "Nombre o razón social", True),
    ("company_type", "Tipo de persona", False),
    ("street", "Dirección", True),
    ("city", "Ciudad", False),
    ("state", "Departamento", False),
    ("country", "País", False),
    ("email", "Email", True),
    ("phone", "Teléfono", True),
    ("mobile", "Teléfono secundario", False),
    ("phone_is_whatsapp", "Teléfono es WhatsApp", False),
    ("billing_email", "Email de facturación", False),
    ("website", "Sitio web", False),
    ("category", "Categoría", False),
    ("customer_class", "Clase de cliente", False),
    ("detraction_required", "Solicita detracción", False),
    ("notification_emails", "Notificación emails", False),
    ("notification_whatsapp", "Notificación WhatsApp", False),
    ("customer_description", "Descripción", False),
    ("comment", "Notas", False),
]
# Columns an export adds; an import of that export ignores them.
EXPORT_ONLY_COLUMNS = [
    ("customer_state", "Estado"),
    ("customs_file_count", "Número de expedientes"),
    ("last_operation_date", "Última operación"),
    ("total_invoiced", "Total facturado"),
]
CONTACT_COLUMNS = [
    ("customer_vat", "Número de documento del cliente", True),
    ("name", "Nombre", True),
    ("function", "Cargo", False),
    ("phone", "Teléfono", False),
    ("email", "Email", False),
    ("is_operations_contact", "Contacto principal de operaciones", False),
]
YES, NO = "Sí", "No"
PERSON_TYPES = {"natural": "person", "persona natural": "person", "juridica": "company", "persona juridica": "company"}
PERSON_TYPE_LABELS = {"person": "Natural", "company": "Jurídica"}

# Bounds against hostile or broken files.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ROWS = 200_000
MAX_EMPTY_ROWS = 1_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and legacy .xls


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
    """Text of a cell as a user typed it: numbers without '.0', dates as
    ISO dates, strings stripped."""
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
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


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
    if isinstance(value, str) and value and value[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def unneutralize(text):
    """Undo :func:`neutralize` on re-import (``'+51 999`` → ``+51 999``)."""
    if isinstance(text, str) and len(text) > 1 and text[0] == "'" and text[1] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:]
    return text


# ----------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------
def _map_headers(raw_headers, columns, extra_known=()):
    by_fold = {fold(header): key for key, header, _required in columns}
    known = {fold(header) for _key, header in extra_known}
    mapping, unknown = {}, []
    for index, header in enumerate(raw_headers):
        folded = fold(header)
        if not folded:
            continue
        if folded in by_fold:
            mapping[index] = by_fold[folded]
        elif folded not in known:
            unknown.append(cell_text(header))
    missing = [header for key, header, required in columns if required and key not in mapping.values()]
    if missing or unknown:
        raise SpreadsheetError("headers", missing=missing, unknown=unknown)
    return mapping


def _rows_to_dicts(rows, columns, extra_known=(), sheet=""):
    """``rows``: iterator of tuples of raw cell values, header first.
    Returns a list of ``(row_number, {key: raw value})``."""
    try:
        header = next(rows)
    except StopIteration as err:
        raise SpreadsheetError("empty_sheet", sheet=sheet) from err
    mapping = _map_headers(header, columns, extra_known)
    records, empty_run = [], 0
    for number, row in enumerate(rows, start=2):
        values = {key: row[index] for index, key in mapping.items() if index < len(row)}
        if all(cell_text(value) == "" for value in values.values()):
            empty_run += 1
            if empty_run >= MAX_EMPTY_ROWS:
                break  # a sheet "used" down to row 1,048,576: stop reading
            continue
        empty_run = 0
        if len(records) >= MAX_ROWS:
            raise SpreadsheetError("too_many_rows", max=MAX_ROWS)
        records.append((number, values))
    return records


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise SpreadsheetError("corrupted") from err
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > MAX_UNCOMPRESSED_BYTES or (
            info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise SpreadsheetError("too_big")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError("too_big")
    if "[Content_Types].xml" not in archive.namelist():
        raise SpreadsheetError("corrupted")
    return archive


def _formula_cells_without_value(data, archive, sheet_names):
    """Cells holding a formula that Excel never calculated (no cached value).
    Only parsed when a sheet contains formulas at all."""
    if not any(b"<f" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")):
        return []
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    missing = []
    for name in sheet_names:
        if name not in formulas.sheetnames:
            continue
        for f_row, v_row in zip(formulas[name].iter_rows(), values[name].iter_rows(), strict=False):
            for f_cell, v_cell in zip(f_row, v_row, strict=False):
                if isinstance(f_cell.value, str) and f_cell.value.startswith("=") and v_cell.value is None:
                    missing.append(f"{name}!{f_cell.coordinate}")
    return missing


def read_xlsx(data):
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError("too_big")
    if data[:8] == OLE_MAGIC:
        raise SpreadsheetError("encrypted_or_xls")
    archive = _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on broken files
        raise SpreadsheetError("corrupted") from err
    sheet_names = workbook.sheetnames
    customer_sheet = next((n for n in sheet_names if fold(n) == fold(CUSTOMER_SHEET)), sheet_names[0])
    contact_sheet = next((n for n in sheet_names if fold(n) == fold(CONTACT_SHEET)), None)
    uncalculated = _formula_cells_without_value(data, archive, [customer_sheet, contact_sheet])
    if uncalculated:
        raise SpreadsheetError("formula", cells=", ".join(uncalculated[:10]))
    customers = _rows_to_dicts(
        workbook[customer_sheet].iter_rows(values_only=True),
        CUSTOMER_COLUMNS,
        EXPORT_ONLY_COLUMNS,
        customer_sheet,
    )
    contacts = []
    if contact_sheet:
        rows = workbook[contact_sheet].iter_rows(values_only=True)
        first = next(rows, None)
        if first is not None and any(cell_text(v) for v in first):
            contacts = _rows_to_dicts(iter([first, *rows]), CONTACT_COLUMNS, sheet=contact_sheet)
    workbook.close()
    return customers, contacts


def decode_csv(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_csv(data):
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError("too_big")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("not_spreadsheet")
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    customers = _rows_to_dicts(reader, CUSTOMER_COLUMNS, EXPORT_ONLY_COLUMNS, CUSTOMER_SHEET)
    return customers, []


def read_file(data, filename):
    """Returns ``(customers, contacts)``, lists of ``(row, {key: value})``."""
    name = (filename or "").lower()
    if not data:
        raise SpreadsheetError("empty_file")
    if name.endswith(".csv"):
        return read_csv(data)
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_xlsx(data)
    if data[:8] == OLE_MAGIC:
        raise SpreadsheetError("encrypted_or_xls")
    raise SpreadsheetError("not_spreadsheet")


def document_text(value, kind):
    """A document number cell as text; numbers that lost their leading
    zeros in Excel are padded back when only one length fits the kind.
    Returns ``(text, restored)``."""
    text = cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        padded = dn.restore_leading_zeros(kind, text)
        return padded, padded != text
    return text, False


# ----------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------
def _header_labels(columns, mark_required):
    return [f"{header} *" if (mark_required and required) else header for _key, header, required in columns]


def build_xlsx(customer_rows, contact_rows, customer_columns, contact_columns, lists=None, mark_required=False):
    """An .xlsx with the sheets Clientes and Contactos. ``lists`` maps a
    column key to the allowed values: they go to a hidden sheet and become
    drop-down validations of that column."""
    workbook = openpyxl.Workbook(write_only=False)
    customers = workbook.active
    customers.title = CUSTOMER_SHEET
    contacts = workbook.create_sheet(CONTACT_SHEET)
    for sheet, columns, rows in (
        (customers, customer_columns, customer_rows),
        (contacts, contact_columns, contact_rows),
    ):
        sheet.append(_header_labels(columns, mark_required))
        for cell in sheet[1]:
            cell.font = openpyxl.styles.Font(bold=True)
        for row in rows:
            sheet.append([neutralize(value) for value in row])
        for index, (_key, header, _required) in enumerate(columns, start=1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(14, len(header) + 4)
        # Document numbers and phones are text: Excel must not eat leading zeros.
        for index, (key, _header, _required) in enumerate(columns, start=1):
            if key in ("vat", "customer_vat", "phone", "mobile"):
                letter = openpyxl.utils.get_column_letter(index)
                sheet.column_dimensions[letter].number_format = "@"
                for row_cells in sheet[f"{letter}2:{letter}{len(rows) + 1}"] if rows else ():
                    for cell in row_cells:
                        cell.number_format = "@"
    if lists:
        list_sheet = workbook.create_sheet(LISTS_SHEET)
        list_sheet.sheet_state = "hidden"
        for list_index, (key, values) in enumerate(lists.items(), start=1):
            letter = openpyxl.utils.get_column_letter(list_index)
            list_sheet.cell(row=1, column=list_index, value=key)
            for row_index, value in enumerate(values, start=2):
                list_sheet.cell(row=row_index, column=list_index, value=value)
            for sheet, columns in ((customers, customer_columns), (contacts, contact_columns)):
                keys = [column[0] for column in columns]
                if key not in keys:
                    continue
                target = openpyxl.utils.get_column_letter(keys.index(key) + 1)
                validation = DataValidation(
                    type="list",
                    formula1=f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}",
                    allow_blank=True,
                    showErrorMessage=True,
                )
                validation.add(f"{target}2:{target}5000")
                sheet.add_data_validation(validation)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def build_csv(rows, columns, mark_required=False):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header_labels(columns, mark_required))
    for row in rows:
        writer.writerow([neutralize("" if value is None else value) for value in row])
    # UTF-8 with BOM: Excel opens it with the accents right.
    return ("\ufeff" + output.getvalue()).encode("utf-8")
