"""The customer spreadsheet schema: one list of columns, read by the
template, the import, the export and the permission allow-list.

Each column says which ``res.partner`` field it fills, its Spanish header
(the template's and the export's), the kind of value it holds (how it is
read and written), whether it is required, whether it is master data (a
change needs the *Customers: Edit* permission), its length bound and the
other headers users give it in their own sheets (the two manuals' labels,
Spanish and English). Odoo's own field labels in the installed languages
are added at run time by the import engine.

Pure Python (no Odoo import). Headers are Spanish on purpose: they are the
file's vocabulary, not UI strings.
"""

import re
import unicodedata
from typing import NamedTuple

# Kinds: how a cell becomes a value and back.
TEXT = "text"  # plain text, stripped
DOCUMENT = "document"  # a document number (leading zeros, Excel rounding)
DOCUMENT_TYPE = "document_type"  # an identification type, by code or name
PERSON_TYPE = "person_type"  # Natural / Jurídica
CATALOG = "catalog"  # a many2one read by code or name (country, category...)
STATE = "state"  # a department, read within the row's country
CITY_CODE = "city_code"  # a municipality of the list, by its code (Honduras: INE DDMM)
BOOLEAN = "boolean"  # Sí / No
HTML = "html"  # Odoo keeps HTML; the file holds plain text
PARENT = "parent"  # a contact's customer, by document number
EXPORT_ONLY = "export_only"  # statistics: written by the export, ignored on import

# Marks a header the user chose to leave out.
IGNORE = "__ignore__"

# The lookup's bound for names and free texts (document.lookup.provider).
NAME_MAX = 250


class Column(NamedTuple):
    key: str
    header: str
    field: str | None
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    synonyms: tuple = ()
    note: str = ""


# Other headers users give each column in their own sheets: the two
# manuals' labels (Spanish) and their English equivalents.
CUSTOMER_SYNONYMS = {
    "document_type": (
        "Documento",
        "Tipo doc",
        "Tipo de identificación",
        "Document type",
        "Identification type",
        "ID type",
    ),
    "vat": (
        "Número Doc.",
        "Nro. documento",
        "RUC/Documento",
        "RUC",
        "RTN",
        "DNI",
        "Número de identificación",
        "Document number",
        "Identification number",
        "Tax ID",
    ),
    "name": ("Razón social", "Nombre/Razón Social", "Nombre", "Cliente", "Customer", "Company name", "Name"),
    "company_type": ("Tipo", "Persona", "Person type", "Company type"),
    "street": ("Dirección fiscal", "Domicilio", "Address", "Street"),
    "city": ("Municipio", "Ciudad o municipio", "City"),
    "state": ("Departamento de Honduras", "Region", "Department"),
    "city_code": ("Código INE", "Código de municipio", "Código del municipio", "INE code", "Municipality code"),
    "country": ("Country",),
    "email": ("Correo electrónico", "Email principal", "E-mail", "Correo", "Mail", "Main email"),
    "phone": ("Teléfono principal", "Telefono fijo", "Phone", "Telephone", "Main phone"),
    "mobile": ("Móvil", "Celular", "Secondary phone", "Mobile"),
    "phone_is_whatsapp": ("WhatsApp", "Es WhatsApp", "Phone is WhatsApp"),
    "billing_email": ("Correo de facturación", "Email facturación", "Billing email", "Invoice email"),
    "website": ("Web", "Página web", "URL", "Website"),
    "category": ("Categoría cliente", "Categoría de cliente", "Category", "Customer category"),
    "customer_class": ("Clase", "Customer class", "Class"),
    "detraction_required": ("Detracción", "Requests detraction", "Detraction"),
    "notification_emails": ("Emails de notificación", "Correos de notificación", "Notification emails"),
    "notification_whatsapp": ("WhatsApp de notificación", "Notification WhatsApp"),
    "customer_description": ("Description",),
    "comment": ("Información adicional", "Observaciones", "Notas internas", "Notes", "Internal notes"),
}
# The template's note on each header.
CUSTOMER_NOTES = {
    "document_type": "RUC, DNI, RTN, Identidad, Pasaporte... (lista).",
    "vat": "Sin espacios ni guiones. Escríbalo como texto para no perder los ceros iniciales.",
    "company_type": "Natural o Jurídica. Vacío: se deduce del RUC.",
    "city": "Obligatoria para clientes de Honduras.",
    "state": "Departamento (obligatorio para clientes de Honduras).",
    "city_code": "Honduras: código INE del municipio (0801 = Distrito Central); da la ciudad y el departamento.",
    "country": "Vacío: el país del tipo de documento.",
    "phone_is_whatsapp": "Sí o No.",
    "detraction_required": "Sí o No.",
    "notification_emails": "Varios separados por coma.",
    "notification_whatsapp": "Varios números separados por coma.",
}


def _described(columns, synonyms, notes):
    return tuple(c._replace(synonyms=synonyms.get(c.key, ()), note=notes.get(c.key, "")) for c in columns)


CUSTOMER_COLUMNS = _described(
    (
        Column("document_type", "Tipo de documento", "l10n_latam_identification_type_id", DOCUMENT_TYPE, required=True),
        Column("vat", "Número de documento", "vat", DOCUMENT, required=True, max_length=20),
        Column("name", "Nombre o razón social", "name", required=True, max_length=NAME_MAX),
        Column("company_type", "Tipo de persona", "is_company", PERSON_TYPE),
        Column("street", "Dirección", "street", required=True, max_length=NAME_MAX),
        Column("city", "Ciudad", "city", max_length=120),
        Column("state", "Departamento", "state_id", STATE),
        Column("city_code", "Código INE del municipio", "city_id", CITY_CODE),
        Column("country", "País", "country_id", CATALOG),
        Column("email", "Email", "email", required=True, max_length=254),
        Column("phone", "Teléfono", "phone", required=True, max_length=64),
        Column("mobile", "Teléfono secundario", "mobile", max_length=64),
        Column("phone_is_whatsapp", "Teléfono es WhatsApp", "phone_is_whatsapp", BOOLEAN),
        Column("billing_email", "Email de facturación", "billing_email", max_length=254),
        Column("website", "Sitio web", "website", max_length=NAME_MAX),
        Column("category", "Categoría", "customer_category_id", CATALOG),
        Column("customer_class", "Clase de cliente", "customer_class_id", CATALOG),
        Column("detraction_required", "Solicita detracción", "detraction_required", BOOLEAN),
        Column("notification_emails", "Notificación emails", "notification_emails", max_length=1000),
        Column("notification_whatsapp", "Notificación WhatsApp", "notification_whatsapp", max_length=1000),
        Column("customer_description", "Descripción", "customer_description", max_length=10000),
        Column("comment", "Notas", "comment", HTML, max_length=10000),
    ),
    CUSTOMER_SYNONYMS,
    CUSTOMER_NOTES,
)

# Columns an export adds; an import of that export ignores them.
EXPORT_COLUMNS = (
    Column("customer_state", "Estado", "customer_state", EXPORT_ONLY),
    Column("customs_file_count", "Número de expedientes", None, EXPORT_ONLY),
    Column("last_operation_date", "Última operación", None, EXPORT_ONLY),
    Column("total_invoiced", "Total facturado", None, EXPORT_ONLY),
)
# CSV has no second sheet: a CSV export lists each customer's contacts in
# one readable cell (the contacts themselves travel in their own CSV).
CONTACT_SUMMARY = Column("contacts", "Contactos", None, EXPORT_ONLY)
# The rejected-rows file adds this column; uploading it again is allowed.
ERRORS = Column("errors", "Errores", None, EXPORT_ONLY)
IGNORED_COLUMNS = (*EXPORT_COLUMNS, CONTACT_SUMMARY, ERRORS)

CONTACT_SYNONYMS = {
    "customer_vat": ("Documento del cliente", "RUC del cliente", "Cliente", "Customer document", "Customer VAT"),
    "name": ("Nombre del contacto", "Contacto", "Contact", "Contact name", "Name"),
    "function": ("Puesto", "Job position", "Function"),
    "phone": ("Teléfono principal", "Celular", "Phone"),
    "email": ("Correo electrónico", "E-mail", "Correo"),
    "is_operations_contact": ("Contacto principal", "Principal", "Main operations contact", "Main contact"),
}
CONTACT_NOTES = {
    "customer_vat": "Número de documento del cliente (hoja Clientes o ya registrado).",
    "is_operations_contact": "Sí o No; uno solo por cliente.",
}
CONTACT_COLUMNS = _described(
    (
        Column("customer_vat", "Número de documento del cliente", "parent_id", PARENT, required=True, max_length=20),
        Column("name", "Nombre", "name", required=True, max_length=NAME_MAX),
        Column("function", "Cargo", "function", max_length=128),
        Column("phone", "Teléfono", "phone", max_length=64),
        Column("email", "Email", "email", max_length=254),
        Column("is_operations_contact", "Contacto principal de operaciones", "is_operations_contact", BOOLEAN),
    ),
    CONTACT_SYNONYMS,
    CONTACT_NOTES,
)


def by_key(columns):
    return {column.key: column for column in columns}


# The bounds the customer rules enforce on every path (form, RPC, import); the
# document number has its own rule per type.
FIELD_MAX_LENGTHS = {c.field: c.max_length for c in CUSTOMER_COLUMNS if c.max_length and c.kind != DOCUMENT}


def max_length(field_name, columns=CUSTOMER_COLUMNS):
    """The length bound of a field (the form and the import share it)."""
    return next((c.max_length for c in columns if c.field == field_name), None)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text):
    """Comparison key of a header: no accents, case, spaces or punctuation
    (``"Correo electrónico *"`` and ``"correo-electronico"`` are equal)."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", text.lower())


def signature(headers):
    """What identifies a file's layout for a saved mapping: its headers, in
    order, compared as :func:`header_key` does."""
    return "|".join(header_key(h) for h in headers if header_key(h))


def synonym_index(columns, labels=()):
    """{header key: column key}: each column's header and synonyms, then
    ``labels`` (``(column key, label)`` from Odoo's field labels) where no
    column claims them yet. A header two columns claim maps to neither."""
    index, clashes = {}, set()
    for column in columns:
        for text in (column.header, *column.synonyms):
            key = header_key(text)
            if index.get(key, column.key) != column.key:
                clashes.add(key)
            index.setdefault(key, column.key)
    for key in clashes:
        index.pop(key)
    ignored = {header_key(c.header) for c in IGNORED_COLUMNS}
    for column_key, label in labels:
        key = header_key(label)
        if key and key not in index and key not in ignored:
            index[key] = column_key
    return index


# A sheet that heads its document column "RUC" or "RTN" (the manuals do)
# and has no document type column says the type in that header.
IMPLIED_DOCUMENT_TYPES = {"ruc": "pe_ruc", "rtn": "hn_rtn", "dni": "pe_dni"}


class HeaderMatch(NamedTuple):
    mapping: dict  # {column index in the file: column key}
    unknown: list  # [(column index, header as written)] not matched, not decided
    ignored: list  # [(column index, header)] left out (export columns, user's choice)
    missing: list  # [column] required and not mapped
    headers: list  # the file's headers as written
    implied: dict  # {column key: value} given by a header rather than a column


def match_headers(raw_headers, columns, index, saved=None):
    """Map a file's header row onto ``columns``.

    ``index`` comes from :func:`synonym_index`; ``saved`` is {header key:
    column key or IGNORE}, the user's own choices, which win. A column
    named twice keeps its first header; the second one is unknown.
    """
    saved = saved or {}
    ignored_keys = {header_key(c.header) for c in IGNORED_COLUMNS}
    mapping, unknown, ignored, seen = {}, [], [], set()
    headers = ["" if h is None else str(h).strip() for h in raw_headers]
    for position, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        target = saved.get(key) or index.get(key)
        if target == IGNORE or (target is None and key in ignored_keys):
            ignored.append((position, header))
        elif target and target not in seen:
            mapping[position] = target
            seen.add(target)
        else:
            unknown.append((position, header))
    implied = {}
    if "document_type" not in seen and "vat" in seen:
        vat_header = header_key(headers[next(p for p, k in mapping.items() if k == "vat")])
        if vat_header in IMPLIED_DOCUMENT_TYPES:
            implied["document_type"] = IMPLIED_DOCUMENT_TYPES[vat_header]
    missing = [c for c in columns if c.required and c.key not in seen and c.key not in implied]
    return HeaderMatch(mapping, unknown, ignored, missing, headers, implied)
