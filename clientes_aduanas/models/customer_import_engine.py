import contextlib

import psycopg2

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ..models.res_partner import PREVALIDATED
from ..tools import contact_channel as ch
from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet
from ..tools import document_number as dn

COLUMNS = schema.by_key(schema.CUSTOMER_COLUMNS)
CONTACT_COLUMNS = schema.by_key(schema.CONTACT_COLUMNS)
# res.partner field -> spreadsheet column, to name the column of an error.
FIELD_COLUMNS = {c.field: c.key for c in schema.CUSTOMER_COLUMNS if c.field}
FIELD_COLUMNS["company_type"] = "company_type"
TEXT_KINDS = (schema.TEXT, schema.HTML)


def _cell_plan(columns, ruled=()):
    # Per column, read once: key, whether a date is an error there, bound
    # (none where the customer rules bound the field themselves).
    return [
        (c.key, c.kind not in (schema.DOCUMENT, schema.PARENT), None if c.field in ruled else c.max_length)
        for c in columns.values()
    ]


CELL_PLAN = {
    id(COLUMNS): _cell_plan(COLUMNS, schema.FIELD_MAX_LENGTHS),
    id(CONTACT_COLUMNS): _cell_plan(CONTACT_COLUMNS),
}
TEXT_FIELDS = [(c.key, c.field) for c in schema.CUSTOMER_COLUMNS if c.kind in TEXT_KINDS]
BOOLEAN_FIELDS = [(c.key, c.field) for c in schema.CUSTOMER_COLUMNS if c.kind == schema.BOOLEAN]
# Kinds whose lost leading zeros can be put back (one possible length);
# a RUC never starts with 0. Other kinds typed as numbers are refused.
RESTORABLE_KINDS = (dn.PE_DNI, dn.HN_RTN, dn.HN_IDENTITY)
BATCH_SIZE = sheet.BATCH_SIZE
PREVIEW_ROWS = 200
PREVIEW_ERROR_ROWS = 1000
# Keys a row sets from the context rather than from its cells: an update
# does not overwrite a value the customer already has with them.
IMPLICIT_UPDATE_SKIP = ("customer_rank",)
# A contact row's values an update leaves alone when its cell is empty;
# ``type`` is never rewritten: Odoo re-syncs a contact's address from its
# parent when its type is written.
CONTACT_UPDATE_SKIP = ("type",)


class CustomerImportEngine(models.AbstractModel):
    """Reading, checking and writing customer spreadsheets, for the import
    wizard (its screens) and the background import (its queue jobs).

    A *source* is a dict: ``data`` and ``filename`` of the upload, optional
    ``contact_data`` / ``contact_filename`` (a second CSV) and ``choices``,
    ``{sheet name: {header key: column key or IGNORE}}`` the user made in
    the preview. The rules of a customer are the partner model's own
    (``_customer_validate_vals``, ``_find_duplicate_customers``...)."""

    _name = "customer.import.engine"
    _description = "Customer Spreadsheet Import Engine"

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------
    @api.model
    def _spreadsheet_error_message(self, err):
        p = err.params
        # Where a reading error happened: file, sheet and row.
        where = {"file": p.get("file") or "-", "sheet": p.get("sheet") or "-", "row": p.get("row") or p.get("line")}
        messages = {
            "empty_file": lambda: self.env._("The file is empty."),
            "not_spreadsheet": lambda: self.env._("The file is not an Excel (.xlsx) or CSV spreadsheet."),
            "encrypted_or_xls": lambda: self.env._(
                "The file is password-protected or in the old .xls format: save it as an unprotected .xlsx."
            ),
            "corrupted": lambda: self.env._("The Excel file %(file)s is damaged and cannot be read.", **where),
            "too_big": lambda: self.env._("The file is too large once uncompressed; split it into smaller files."),
            "too_many_rows": lambda: self.env._("The file has more than %(max)s rows; split it.", max=p["max"]),
            "empty_sheet": lambda: self.env._("Sheet %(sheet)s has no header row.", sheet=p["sheet"]),
            "csv_broken": lambda: self.env._(
                "File %(file)s, sheet %(sheet)s: the CSV cannot be read near row %(row)s "
                "(unbalanced quotes or a field too long). Nothing was imported.",
                **where,
            ),
            "read_error": lambda: self.env._(
                "File %(file)s, sheet %(sheet)s: row %(row)s cannot be read, the file is damaged from there on. "
                "Nothing was imported: open it in Excel, save it again and upload it.",
                **where,
            ),
            "undecodable": lambda: self.env._(
                "File %(file)s, sheet %(sheet)s: row %(row)s holds bytes that are not valid %(encoding)s text. "
                "Nothing was imported: save the file again as CSV UTF-8.",
                encoding=p.get("encoding", "").upper(),
                **where,
            ),
            "contacts_not_csv": lambda: self.env._("The contacts file must be a .csv file."),
            "formula": lambda: self.env._(
                "These cells contain formulas without a calculated value: %(cells)s. "
                "Open the file in Excel, save it, and upload it again (or paste the values).",
                cells=p["cells"],
            ),
        }
        return messages[err.rule]()

    @contextlib.contextmanager
    def _user_errors(self):
        """Problems of the file itself become one clear message."""
        try:
            yield
        except sheet.SpreadsheetError as err:
            raise UserError(self._spreadsheet_error_message(err)) from err

    # ------------------------------------------------------------------
    # Opening and mapping the columns
    # ------------------------------------------------------------------
    @api.model
    def _field_labels(self, columns):
        """Odoo's own labels of the columns' fields in English and in every
        installed Spanish (es_PE, es_HN...), whatever the user's language:
        what a user who exported from Odoo has as headers."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        langs = {"en_US", *(code for code in installed if code.startswith("es"))}
        labels = []
        Fields = self.env["ir.model.fields"]
        for lang in sorted(langs):
            strings = Fields.with_context(lang=lang).get_field_string("res.partner")
            labels += [(c.key, strings[c.field]) for c in columns if c.field and strings.get(c.field)]
        return labels

    @api.model
    def _synonyms(self, columns):
        return schema.synonym_index(columns, self._field_labels(columns))

    @api.model
    def _open(self, source):
        """The opened file, each sheet's columns mapped: the user's choices
        in the preview, then a saved mapping of the same headers, then the
        synonyms. Returns ``(book, {sheet name: HeaderMatch})``."""
        with self._user_errors():
            try:
                book = sheet.open_file(
                    source["data"],
                    source.get("filename"),
                    source.get("contact_data"),
                    source.get("contact_filename") or "contactos.csv",
                )
            except sheet.SpreadsheetError as err:
                err.params.setdefault("file", source.get("filename"))
                raise
        matches = {}
        Mapping = self.env["customer.import.mapping"]
        for table in book.tables():
            choices = dict(Mapping._choices_for(table.name, schema.signature(table.headers)))
            choices.update((source.get("choices") or {}).get(table.name) or {})
            match = schema.match_headers(table.headers, table.columns, self._synonyms(table.columns), choices)
            table.mapping = match.mapping
            table.implied = match.implied
            matches[table.name] = match
        return book, matches

    @api.model
    def _check_columns(self, matches):
        """Before writing: every column of the file decided, every required
        column present."""
        problems = []
        for name, match in matches.items():
            if match.unknown:
                problems.append(
                    self.env._(
                        "Sheet %(sheet)s: choose a field or “Ignore” for the columns %(columns)s.",
                        sheet=name,
                        columns=", ".join(header for _i, header in match.unknown),
                    )
                )
            if match.missing:
                problems.append(
                    self.env._(
                        "Sheet %(sheet)s: the required columns %(columns)s are missing; map them in the preview.",
                        sheet=name,
                        columns=", ".join(c.header for c in match.missing),
                    )
                )
        if problems:
            raise UserError("\n".join(problems))

    # ------------------------------------------------------------------
    # Catalogs
    # ------------------------------------------------------------------
    @api.model
    def _lookups(self):
        """Every catalog the rows refer to, read once per import."""
        types = self.env["l10n_latam.identification.type"].search([])  # pylint: disable=no-search-all
        countries = self.env["res.country"].search([])  # pylint: disable=no-search-all
        states = self.env["res.country.state"].search([])  # pylint: disable=no-search-all
        categories = self.env["res.partner.customer.category"].search([])  # pylint: disable=no-search-all
        classes = self.env["res.partner.customer.class"].search([])  # pylint: disable=no-search-all
        langs = [lang for lang, _label in self.env["res.lang"].get_installed()]

        def by_name(records, *codes):
            # Codes, names in the user's language, then in every installed
            # language (Perú, Peru; Pasaporte, Passport...): first one wins.
            mapping = {}
            for record in records:
                for code in codes:
                    if record[code]:
                        mapping.setdefault(sheet.fold(record[code]), record)
                mapping.setdefault(sheet.fold(record.name), record)
            for lang in langs:
                for record in records.with_context(lang=lang):
                    mapping.setdefault(sheet.fold(record.name), record.with_env(self.env))
            return mapping

        state_map = {}
        for state in states:
            state_map[(state.country_id.id, sheet.fold(state.name))] = state
            state_map[(state.country_id.id, sheet.fold(state.code))] = state
        # Types a customer may have first, should two share a name.
        types = types.sorted(lambda t: (not t.customs_document_code, t.sequence))
        return {
            "type": by_name(types, "customs_document_code"),
            "country": by_name(countries, "code"),
            "state": state_map,
            "category": by_name(categories, "code"),
            "customer_class": by_name(classes, "code"),
            "default_country": self.env.company.country_id,
        }

    @api.model
    def _new_context(self):
        """What the analysis remembers across batches: catalogs, and small
        keys of the rows already seen (duplicates inside the file, the
        customers the contacts refer to)."""
        return {
            "lookups": self._lookups(),
            "seen_email": {},
            "seen_document": {},
            "matched": {},
            # normalized document number -> (row, type id, valid, partner id)
            "documents": {},
            "principal": {},
        }

    # ------------------------------------------------------------------
    # Cells
    # ------------------------------------------------------------------
    @api.model
    def _date_error(self, value):
        return self.env._(
            "The cell holds a date (%(value)s) where text is expected: type it as text.",
            value=sheet.cell_text(value),
        )

    @api.model
    def _cell_texts(self, raw, columns, errors):
        """Each cell as text; dates where text is expected and texts beyond
        the column's bound are errors (such a row is never written)."""
        text = {}
        cell_text, unneutralize, is_date = sheet.cell_text, sheet.unneutralize, sheet.is_date
        for key, date_is_error, max_length in CELL_PLAN[id(columns)]:
            value = raw.get(key)
            if value is None:
                text[key] = ""
                continue
            if date_is_error and is_date(value):
                errors.append((key, self._date_error(value)))
            text[key] = cell = unneutralize(cell_text(value))
            if max_length and len(cell) > max_length:
                errors.append(
                    (
                        key,
                        self.env._(
                            "At most %(max)s characters (this cell has %(length)s).",
                            max=max_length,
                            length=len(cell),
                        ),
                    )
                )
        return text

    @api.model
    def _document_vals(self, raw, id_type, vals, errors):
        value = raw.get("vat")
        kind = id_type.customs_document_code if id_type else None
        text, problem = sheet.document_text(value, kind)
        text = sheet.unneutralize(text)
        if problem == "date":
            errors.append(("vat", self._date_error(value)))
        elif problem == "rounded":
            errors.append(
                (
                    "vat",
                    self.env._(
                        "The document number %(value)s was typed as a number and Excel rounded it: type it as text.",
                        value=text,
                    ),
                )
            )
        elif sheet.is_number(value) and kind and kind != dn.PE_RUC and kind not in RESTORABLE_KINDS:
            errors.append(
                (
                    "vat",
                    self.env._(
                        "The document number %(value)s was typed as a number, so Excel may have dropped "
                        "leading zeros: type it as text.",
                        value=text,
                    ),
                )
            )
        max_length = COLUMNS["vat"].max_length
        if len(text) > max_length:
            errors.append(
                (
                    "vat",
                    self.env._(
                        "At most %(max)s characters (this cell has %(length)s).", max=max_length, length=len(text)
                    ),
                )
            )
        elif text:
            vals["vat"] = text

    @api.model
    def _row_catalog_vals(self, text, id_type, lookups, vals, errors, implicit):
        """Country, department, category and class of a row, from the
        catalogs read once per import; returns the customer's country."""
        country = lookups["country"].get(sheet.fold(text["country"])) if text["country"] else None
        if text["country"] and not country:
            errors.append(("country", self.env._("Unknown country %(value)s.", value=text["country"])))
        if not text["country"]:
            implicit.append("country_id")
        country = country or (id_type.country_id if id_type else None) or lookups["default_country"]
        if country:
            vals["country_id"] = country.id
        if text["state"]:
            state = lookups["state"].get((country.id if country else 0, sheet.fold(text["state"])))
            if not state:
                errors.append(("state", self.env._("Unknown department %(value)s.", value=text["state"])))
            else:
                vals["state_id"] = state.id
        for key in ("category", "customer_class"):
            if text[key]:
                record = lookups[key].get(sheet.fold(text[key]))
                if not record:
                    errors.append((key, self.env._("Unknown value %(value)s.", value=text[key])))
                else:
                    vals[COLUMNS[key].field] = record.id
        return country

    @api.model
    def _row_to_vals(self, raw, lookups):
        """Values and errors of one customer row; errors are (column, text).
        Returns ``(vals, errors, implicit)``, ``implicit`` the fields set
        from the context rather than from a cell."""
        errors, implicit = [], ["customer_rank"]
        vals = {"is_registered_customer": True, "customer_rank": 1}
        text = self._cell_texts(raw, COLUMNS, errors)
        for key, field_name in TEXT_FIELDS:
            if text[key]:
                vals[field_name] = text[key]
        for key, field_name in BOOLEAN_FIELDS:
            if text[key]:
                value = sheet.parse_bool(text[key])
                if value is None:
                    errors.append((key, self.env._("Write Sí or No, not %(value)s.", value=text[key])))
                else:
                    vals[field_name] = value
        id_type = lookups["type"].get(sheet.fold(text["document_type"]))
        if not text["document_type"] and text["vat"]:
            # As the form does: the document of the customer's country.
            country = lookups["country"].get(sheet.fold(text["country"])) if text["country"] else None
            id_type = self.env["l10n_latam.identification.type"]._customer_default_for_country(
                country or lookups["default_country"]
            )
            implicit.append("l10n_latam_identification_type_id")
        if text["document_type"] and not id_type:
            errors.append(
                ("document_type", self.env._("Unknown document type %(value)s.", value=text["document_type"]))
            )
        if id_type:
            vals["l10n_latam_identification_type_id"] = id_type.id
        self._document_vals(raw, id_type, vals, errors)
        if text["company_type"]:
            person_type = sheet.PERSON_TYPES.get(sheet.fold(text["company_type"]))
            if not person_type:
                errors.append(
                    (
                        "company_type",
                        self.env._(
                            "Person type must be Natural or Jurídica, not %(value)s.", value=text["company_type"]
                        ),
                    )
                )
            else:
                vals["is_company"] = person_type == "company"
        elif id_type and id_type.customs_document_code == dn.PE_RUC and vals.get("vat"):
            inferred = dn.ruc_company_type(dn.normalize(vals["vat"]))
            if inferred:
                vals["is_company"] = inferred == "company"
                implicit.append("is_company")
        country = self._row_catalog_vals(text, id_type, lookups, vals, errors, implicit)
        # The customer rules of the form, not a copy of them.
        normalized, rule_errors = self.env["res.partner"]._customer_validate_vals(vals, country=country)
        errors += [(FIELD_COLUMNS.get(field, field), message) for field, message in rule_errors]
        return normalized, errors, implicit

    # ------------------------------------------------------------------
    # Customer rows
    # ------------------------------------------------------------------
    @api.model
    def _identity_error(self, row, partner):
        """An e-mail match whose document differs: an import never rewrites
        a customer's identity, it names both customers instead."""
        return self.env._(
            "The e-mail %(email)s belongs to the customer %(customer)s (document %(their)s), but this row is "
            "%(name)s with document %(ours)s: an import does not change a customer's document. "
            "Correct the row, or change the document on the customer's form.",
            email=row["vals"].get("email"),
            customer=partner.display_name,
            their=partner.vat or "-",
            name=row["vals"].get("name") or "-",
            ours=row["vals"].get("vat"),
        )

    @api.model
    def _analyse_customer_batch(self, batch, ctx):
        Partner = self.env["res.partner"]
        rows = []
        for number, raw in batch:
            vals, errors, implicit = self._row_to_vals(raw, ctx["lookups"])
            email = ch.email_key(vals.get("email")) or ""
            document = (vals.get("l10n_latam_identification_type_id"), vals.get("vat"))
            if email:
                if email in ctx["seen_email"]:
                    errors.append(
                        ("email", self.env._("Same e-mail as row %(row)s of this file.", row=ctx["seen_email"][email]))
                    )
                else:
                    ctx["seen_email"][email] = number
            if document[1]:
                if document in ctx["seen_document"]:
                    errors.append(
                        (
                            "vat",
                            self.env._(
                                "Same document as row %(row)s of this file.", row=ctx["seen_document"][document]
                            ),
                        )
                    )
                else:
                    ctx["seen_document"][document] = number
            rows.append(
                {"row": number, "raw": raw, "vals": vals, "errors": errors, "implicit": implicit, "partner": None}
            )
        # Existing customers: one query for the batch (document first, then e-mail).
        for row, match in zip(rows, Partner._find_duplicate_customers([r["vals"] for r in rows]), strict=True):
            if not match:
                continue
            field_name, partner = match
            vat = row["vals"].get("vat")
            if (
                field_name == "email"
                and vat
                and (
                    dn.normalize(partner.vat or "") != dn.normalize(vat)
                    or partner.l10n_latam_identification_type_id.id
                    != row["vals"].get("l10n_latam_identification_type_id")
                )
            ):
                row["errors"].append(("email", self._identity_error(row, partner)))
                continue
            if partner.id in ctx["matched"]:
                row["errors"].append(
                    (
                        "vat" if field_name == "vat" else "email",
                        self.env._(
                            "Row %(row)s of this file already updates the customer %(name)s.",
                            row=ctx["matched"][partner.id],
                            name=partner.display_name,
                        ),
                    )
                )
            else:
                ctx["matched"][partner.id] = row["row"]
            row["partner"] = partner
        # An update must not take the e-mail or document of another customer.
        updates = [r for r in rows if r["partner"]]
        if updates:
            conflicts = Partner._find_duplicate_customers(
                [r["vals"] for r in updates], exclude_ids=[r["partner"].id for r in updates]
            )
            for row, conflict in zip(updates, conflicts, strict=True):
                if conflict:
                    row["errors"].append((FIELD_COLUMNS[conflict[0]], Partner._duplicate_message(*conflict)))
        for row in rows:
            row["action"] = "error" if row["errors"] else ("update" if row["partner"] else "create")
            vat = row["vals"].get("vat")
            if vat and vat not in ctx["documents"]:
                ctx["documents"][vat] = (
                    row["row"],
                    row["vals"].get("l10n_latam_identification_type_id"),
                    row["action"] != "error",
                    row["partner"].id if row["partner"] else False,
                )
        return rows

    @api.model
    def _iter_batches(self, records, analyse, ctx):
        batch = []
        with self._user_errors():
            for record in records:
                batch.append(record)
                if len(batch) >= BATCH_SIZE:
                    yield analyse(batch, ctx)
                    batch = []
        if batch:
            yield analyse(batch, ctx)

    # ------------------------------------------------------------------
    # Contact rows
    # ------------------------------------------------------------------
    @api.model
    def _document_candidates(self, value):
        """The customer document a contact row names; a number that lost
        its leading zeros in Excel may be any of the padded forms."""
        text = dn.normalize(sheet.unneutralize(sheet.cell_text(value)))
        candidates = [text]
        if sheet.is_number(value):
            candidates += [dn.restore_leading_zeros(kind, text) for kind in RESTORABLE_KINDS]
        return [c for c in dict.fromkeys(candidates) if c]

    @api.model
    def _contact_item(self, number, raw):
        errors = []
        text = self._cell_texts(raw, CONTACT_COLUMNS, errors)
        if not text["name"]:
            errors.append(("name", self.env._("The contact name is required.")))
        if text["email"] and not ch.normalize_email(text["email"]):
            errors.append(("email", self.env._("%(email)s is not a valid e-mail address.", email=text["email"])))
        principal = sheet.parse_bool(text["is_operations_contact"])
        if principal is None:
            errors.append(
                (
                    "is_operations_contact",
                    self.env._("Write Sí or No, not %(value)s.", value=text["is_operations_contact"]),
                )
            )
        return {
            "row": number,
            "raw": raw,
            "errors": errors,
            "candidates": self._document_candidates(raw.get("customer_vat")),
            "vals": {
                "name": text["name"],
                "function": text["function"] or False,
                "phone": text["phone"] or False,
                "email": text["email"] or False,
                "is_operations_contact": bool(principal),
                "type": "contact",
            },
            # Cells the file leaves empty: an update keeps what is stored.
            "empty": [key for key in ("function", "phone", "email") if not text[key]]
            + ([] if text["is_operations_contact"] else ["is_operations_contact"]),
            "parent_key": False,
            "parent_id": False,
        }

    @api.model
    def _analyse_contact_batch(self, batch, ctx):
        Partner = self.env["res.partner"].with_context(active_test=False)
        contacts = [self._contact_item(number, raw) for number, raw in batch]
        for item in contacts:
            item["document"] = next((ctx["documents"][c] for c in item["candidates"] if c in ctx["documents"]), None)
        # Customers already registered that the file does not list: one query.
        wanted = {c for item in contacts if not item["document"] for c in item["candidates"]}
        registered = {}
        if wanted:
            for partner in Partner.search_fetch(
                [("is_registered_customer", "=", True), ("vat", "in", list(wanted))],
                ["vat", "l10n_latam_identification_type_id", "display_name"],
            ):
                registered.setdefault(partner.vat, []).append(partner)
        for item in contacts:
            shown = item["candidates"][0] if item["candidates"] else ""
            if item["document"]:
                row, type_id, valid, partner_id = item["document"]
                if not valid:
                    item["errors"].append(
                        ("customer_vat", self.env._("Its customer (row %(row)s) has errors.", row=row))
                    )
                vat = next(c for c in item["candidates"] if c in ctx["documents"])
                item["parent_key"] = [type_id, vat]
                item["parent_id"] = partner_id
                continue
            found = [p for c in item["candidates"] for p in registered.get(c, [])]
            if len(found) == 1:
                item["parent_key"] = [found[0].l10n_latam_identification_type_id.id, found[0].vat]
                item["parent_id"] = found[0].id
            elif found:
                item["errors"].append(
                    (
                        "customer_vat",
                        self.env._(
                            "Several customers have the document %(vat)s: %(names)s.",
                            vat=shown,
                            names=", ".join(p.display_name for p in found),
                        ),
                    )
                )
            else:
                item["errors"].append(
                    (
                        "customer_vat",
                        self.env._("No customer with document %(vat)s in the file or in Odoo.", vat=shown),
                    )
                )
        self._check_principal_contacts(contacts, ctx)
        return contacts

    @api.model
    def _check_principal_contacts(self, contacts, ctx):
        """One main operations contact per customer: in the file, and
        against the contact the customer already has (one query)."""
        principals = [c for c in contacts if c["vals"]["is_operations_contact"] and c["parent_key"]]
        parent_ids = {c["parent_id"] for c in principals if c["parent_id"]}
        current = {}
        if parent_ids:
            for contact in self.env["res.partner"].search_fetch(
                [("parent_id", "in", list(parent_ids)), ("is_operations_contact", "=", True)], ["parent_id", "name"]
            ):
                current[contact.parent_id.id] = contact
        for item in principals:
            key = tuple(item["parent_key"])
            if key in ctx["principal"]:
                item["errors"].append(
                    (
                        "is_operations_contact",
                        self.env._(
                            "Row %(row)s of this file is already the customer's main operations contact.",
                            row=ctx["principal"][key],
                        ),
                    )
                )
                continue
            ctx["principal"][key] = item["row"]
            existing = current.get(item["parent_id"])
            if existing and sheet.fold(existing.name) != sheet.fold(item["vals"]["name"]):
                item["errors"].append(
                    (
                        "is_operations_contact",
                        self.env._(
                            "The customer already has a main operations contact (%(name)s): "
                            "uncheck it first or write No here.",
                            name=existing.name,
                        ),
                    )
                )

    # ------------------------------------------------------------------
    # Whole-file passes
    # ------------------------------------------------------------------
    @api.model
    def _analyse(self, source):
        """Every row of the file, analysed, nothing written: ``rows`` (row,
        raw, vals, errors, partner, action) and ``contacts``. Handy for a
        small file; the preview and the import stream batches instead."""
        ctx = self._new_context()
        book, _matches = self._open(source)
        with contextlib.closing(book):
            rows = [r for b in self._iter_batches(book.customers(), self._analyse_customer_batch, ctx) for r in b]
            contacts = [c for b in self._iter_batches(book.contacts(), self._analyse_contact_batch, ctx) for c in b]
        return {"rows": rows, "contacts": contacts}

    @api.model
    def _error_text(self, errors, columns):
        return "; ".join(f"{columns[key].header if key in columns else key}: {message}" for key, message in errors)

    @api.model
    def _rejected_writer(self):
        # Spanish header like the template's: the file's own vocabulary.
        return sheet.RejectedWriter(sheet.ERRORS_HEADER)

    @staticmethod
    def _cells(raw, columns):
        return [sheet.cell_text(raw.get(key)) for key in columns]

    @api.model
    def _reject_customer(self, writer, row):
        writer.add_customer(self._cells(row["raw"], COLUMNS), self._error_text(row["errors"], COLUMNS))

    @api.model
    def _reject_contact(self, writer, contact):
        writer.add_contact(
            self._cells(contact["raw"], CONTACT_COLUMNS), self._error_text(contact["errors"], CONTACT_COLUMNS)
        )

    @classmethod
    def _compact(cls, row):
        """What writing a checked customer row needs (JSON-friendly), with
        its cells for the file of rows a background chunk could not write."""
        return {
            "row": row["row"],
            "vals": row["vals"],
            "partner_id": row["partner"].id if row["partner"] else False,
            "implicit": row["implicit"],
            "cells": cls._cells(row["raw"], COLUMNS),
        }

    @classmethod
    def _compact_contact(cls, contact):
        return {
            "row": contact["row"],
            "vals": contact["vals"],
            "empty": contact["empty"],
            "parent_key": contact["parent_key"],
            "parent_id": contact["parent_id"],
            "cells": cls._cells(contact["raw"], CONTACT_COLUMNS),
        }

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    @api.model
    def _column_report(self, matches):
        """Each sheet's columns as read: header, the column it fills (or
        none: ignored / still unknown)."""
        report = []
        for name, match in matches.items():
            columns = schema.by_key(schema.CUSTOMER_COLUMNS if name == sheet.CUSTOMER_SHEET else schema.CONTACT_COLUMNS)
            for position, header in enumerate(match.headers):
                if not schema.header_key(header):
                    continue
                key = match.mapping.get(position)
                state = "mapped" if key else ("unknown" if (position, header) in match.unknown else "ignored")
                report.append(
                    {
                        "sheet": name,
                        "header": header,
                        "header_key": schema.header_key(header),
                        "key": key or False,
                        "label": columns[key].header if key else False,
                        "state": state,
                    }
                )
            for column in match.missing:
                report.append(
                    {
                        "sheet": name,
                        "header": False,
                        "header_key": False,
                        "key": column.key,
                        "label": column.header,
                        "state": "missing",
                    }
                )
        return report

    @api.model
    def _preview_html(self, shown, contact_errors, counts, matches):
        labels = {"create": self.env._("Create"), "update": self.env._("Update"), "error": self.env._("Error")}
        css = {"error": "table-danger", "update": "table-info", "create": ""}

        def line(sheet_name, item, columns, vat_key, name):
            return {
                "sheet": sheet_name,
                "row": item["row"],
                "action": labels[item["action"]],
                "css": css[item["action"]],
                "vat": sheet.cell_text(item["raw"].get(vat_key)),
                "name": name,
                "errors": [(columns[k].header if k in columns else k, m) for k, m in item["errors"]],
            }

        lines = [
            line(sheet.CUSTOMER_SHEET, row, COLUMNS, "vat", sheet.cell_text(row["raw"].get("name")))
            for row in sorted(shown, key=lambda r: r["row"])
        ] + [
            line(sheet.CONTACT_SHEET, {**c, "action": "error"}, CONTACT_COLUMNS, "customer_vat", c["vals"]["name"])
            for c in contact_errors
        ]
        return self.env["ir.qweb"]._render(
            "clientes_aduanas.customer_import_preview",
            {
                "lines": lines,
                "hidden": counts["total"] + counts["contact_error"] - len(shown) - len(contact_errors),
                "missing": [
                    (name, ", ".join(c.header for c in match.missing))
                    for name, match in matches.items()
                    if match.missing
                ],
                "unknown": [
                    (name, ", ".join(h for _i, h in match.unknown)) for name, match in matches.items() if match.unknown
                ],
                "vat_header": COLUMNS["vat"].header,
                "name_header": COLUMNS["name"].header,
            },
        )

    @api.model
    def _preview(self, source):
        """Read and check the whole file, batch by batch, writing nothing.
        Returns counts, the preview (HTML), the rejected rows (.xlsx bytes
        or None) and the column report."""
        ctx = self._new_context()
        counts = dict.fromkeys(("total", "create", "update", "error", "contacts", "contact_error"), 0)
        shown_errors, shown_valid, contact_errors = [], [], []
        writer = self._rejected_writer()
        book, matches = self._open(source)
        with contextlib.closing(writer), contextlib.closing(book):
            for batch in self._iter_batches(book.customers(), self._analyse_customer_batch, ctx):
                for row in batch:
                    counts["total"] += 1
                    counts[row["action"]] += 1
                    if row["errors"]:
                        self._reject_customer(writer, row)
                        if len(shown_errors) < PREVIEW_ERROR_ROWS:
                            shown_errors.append(row)
                    elif len(shown_valid) < PREVIEW_ROWS:
                        shown_valid.append(row)
            for batch in self._iter_batches(book.contacts(), self._analyse_contact_batch, ctx):
                for contact in batch:
                    counts["contacts"] += 1
                    if contact["errors"]:
                        counts["contact_error"] += 1
                        self._reject_contact(writer, contact)
                        if len(contact_errors) < PREVIEW_ERROR_ROWS:
                            contact_errors.append(contact)
            rejected = writer.finish()
        return {
            "counts": counts,
            "html": self._preview_html(shown_errors + shown_valid, contact_errors, counts, matches),
            "rejected": rejected,
            "columns": self._column_report(matches),
            "matches": matches,
        }

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    @api.model
    def _background_threshold(self):
        """Above this many rows, customers and contacts together, the import
        runs in the background (system parameter
        clientes_aduanas.import_background_threshold)."""
        threshold = self.env.context.get("customer_import_background_threshold")
        if threshold is None:
            threshold = (
                self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.import_background_threshold", 10000)
            )
        return int(threshold)

    @api.model
    def _import(self, source, valid_only=False):
        """Check the whole file again (it may have changed since the
        preview, and so may the database) and write the chosen rows: in
        this transaction up to the threshold, in background chunks above.
        Any refusal leaves nothing behind (savepoint). Returns a dict:
        skipped, rejected (bytes), and either the counts or ``job``."""
        threshold = self._background_threshold()
        ctx = self._new_context()
        writer = self._rejected_writer()
        rows, contacts, job = [], [], self.env["customer.import.job"]
        skipped = 0
        with self.env.cr.savepoint(), contextlib.closing(writer):
            book, matches = self._open(source)
            with contextlib.closing(book):
                self._check_columns(matches)

                def stage(kind, valid):
                    nonlocal rows, contacts, job
                    if not job and len(rows) + len(contacts) + len(valid) > threshold:
                        # Too many for one request: from here on, chunks.
                        job = job._create_for_import(source.get("filename"))
                        job._add_chunks("customers", rows)
                        job._add_chunks("contacts", contacts)
                        rows, contacts = [], []
                    if job:
                        job._add_chunks(kind, valid)
                    elif kind == "customers":
                        rows += valid
                    else:
                        contacts += valid

                for kind, records, analyse, reject, compact in (
                    ("customers", book.customers(), self._analyse_customer_batch, self._reject_customer, self._compact),
                    (
                        "contacts",
                        book.contacts(),
                        self._analyse_contact_batch,
                        self._reject_contact,
                        self._compact_contact,
                    ),
                ):
                    for batch in self._iter_batches(records, analyse, ctx):
                        valid = []
                        for item in batch:
                            if item["errors"]:
                                skipped += 1
                                reject(writer, item)
                            else:
                                valid.append(compact(item))
                        stage(kind, valid)
            if skipped and not valid_only:
                raise UserError(
                    self.env._(
                        "%(count)s rows have errors: nothing was imported. Fix the file and upload it again, "
                        "or tick “Import only valid rows”.",
                        count=skipped,
                    )
                )
            rejected = writer.finish()
            result = {"skipped": skipped, "rejected": rejected, "job": job, "matches": matches}
            if job:
                job._start(skipped, rejected)
            else:
                result.update(self._write_rows(rows, contacts))
        return result

    @contextlib.contextmanager
    def _defaults_cache(self):
        """res.partner.default_get answers once per batch while the import
        writes (context customer_import_batch); forget them afterwards."""
        try:
            yield
        finally:
            self.env.cr.cache.pop("clientes_aduanas_defaults", None)

    @api.model
    def _partner_env(self):
        # PREVALIDATED: these rows went through _customer_validate_vals in
        # this very import, the constraint need not run them again. An
        # object no RPC caller can put in a context.
        return self.env["res.partner"].with_context(
            customer_import_batch=True,
            customer_vals_prevalidated=PREVALIDATED,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )

    @api.model
    def _write_customers(self, rows):
        """Create and update checked rows. Returns ({(type id, document):
        partner}, created, updated)."""
        Partner = self._partner_env()
        written = {}
        to_create = [r for r in rows if not r["partner_id"]]
        to_update = [r for r in rows if r["partner_id"]]
        # Odoo precomputes `user_id` through a throw-away new record per
        # row when the values lack it: give the answer once.
        defaults = {"user_id": Partner.default_get(["user_id"]).get("user_id", False)}
        for start in range(0, len(to_create), BATCH_SIZE):
            part = to_create[start : start + BATCH_SIZE]
            created = Partner.create([{**defaults, **r["vals"]} for r in part])
            for row, partner in zip(part, created, strict=True):
                written[(row["vals"].get("l10n_latam_identification_type_id"), row["vals"].get("vat"))] = partner
        partners = Partner.browse([r["partner_id"] for r in to_update])
        for row, partner in zip(to_update, partners, strict=True):
            vals = {
                key: value
                for key, value in row["vals"].items()
                if key not in IMPLICIT_UPDATE_SKIP
                and not (key in row["implicit"] and partner[key])
                and self._differs(partner, key, value)
            }
            # Unchanged values are not written: no needless duplicate
            # checks, recomputations or history for a re-imported file.
            if vals:
                partner.write(vals)
            written[(partner.l10n_latam_identification_type_id.id, partner.vat)] = partner
        return written, len(to_create), len(to_update)

    @staticmethod
    def _differs(partner, key, value):
        current = partner[key]
        if partner._fields[key].type == "many2one":
            current = current.id
        return (current or False) != (value or False)

    @api.model
    def _write_contacts(self, contacts, written):
        """Create or update (same name under the same customer) checked
        contact rows. Returns (created, updated, rows whose customer is not
        there)."""
        Partner = self._partner_env()
        missing = [c for c in contacts if tuple(c["parent_key"]) not in written and not c["parent_id"]]
        if missing:
            # A background contacts chunk: its customers were written by
            # earlier chunks; find them with one query.
            vats = list({c["parent_key"][1] for c in missing})
            for partner in Partner.with_context(active_test=False).search_fetch(
                [("is_registered_customer", "=", True), ("vat", "in", vats)],
                ["vat", "l10n_latam_identification_type_id"],
            ):
                written.setdefault((partner.l10n_latam_identification_type_id.id, partner.vat), partner)
        by_contact, lost = [], []
        for contact in contacts:
            parent = written.get(tuple(contact["parent_key"])) or (
                Partner.browse(contact["parent_id"]) if contact["parent_id"] else None
            )
            if parent:
                by_contact.append((contact, parent))
            else:
                lost.append(contact["row"])
        parent_ids = list({parent.id for _c, parent in by_contact})
        existing = {}
        if parent_ids:
            for child in Partner.search_fetch(
                [("parent_id", "in", parent_ids)], ["parent_id", "name", "function", "phone", "email"]
            ):
                existing.setdefault((child.parent_id.id, sheet.fold(child.name)), child)
        to_create, updated = [], 0
        for contact, parent in by_contact:
            child = existing.get((parent.id, sheet.fold(contact["vals"]["name"])))
            if child:
                skip = {*CONTACT_UPDATE_SKIP, *contact.get("empty", ())}
                vals = {
                    key: value
                    for key, value in contact["vals"].items()
                    if key not in skip and self._differs(child, key, value)
                }
                if vals:
                    child.write(vals)
                updated += 1
            else:
                to_create.append({**contact["vals"], "parent_id": parent.id})
        for start in range(0, len(to_create), BATCH_SIZE):
            Partner.create(to_create[start : start + BATCH_SIZE])
        return len(to_create), updated, lost

    @api.model
    def _write_rows_unguarded(self, rows, contacts):
        with self._defaults_cache():
            written, created, updated = self._write_customers(rows)
            contacts_created, contacts_updated, lost = self._write_contacts(contacts, written)
            self.env.flush_all()
        return {
            "created": created,
            "updated": updated,
            "contacts_created": contacts_created,
            "contacts_updated": contacts_updated,
            "lost_contacts": lost,
        }

    @api.model
    def _failure_reason(self, err):
        if isinstance(err, psycopg2.Error):
            return self.env._(
                "the database refused the data (%(detail)s).",
                detail=(err.diag.message_primary if err.diag else None) or err.pgcode or "",
            )
        return err.args[0] if err.args else str(err)

    @api.model
    def _write_rows(self, rows, contacts):
        """Write checked rows in one savepoint: any failure leaves the
        database as it was and is reported in the user's language."""
        try:
            with self.env.cr.savepoint():
                result = self._write_rows_unguarded(rows, contacts)
                if result["lost_contacts"]:
                    raise UserError(
                        self.env._(
                            "the customers of contact rows %(rows)s could not be found.",
                            rows=", ".join(map(str, result["lost_contacts"][:20])),
                        )
                    )
        except (ValidationError, UserError, psycopg2.Error) as err:
            raise UserError(self.env._("Nothing was imported: %(reason)s", reason=self._failure_reason(err))) from err
        return result
