import base64
import contextlib

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.res_partner import PREVALIDATED
from ..tools import contact_channel as ch
from ..tools import customer_spreadsheet as sheet
from ..tools import document_number as dn

HEADERS = {key: header for key, header, _required in sheet.CUSTOMER_COLUMNS}
CONTACT_HEADERS = {key: header for key, header, _required in sheet.CONTACT_COLUMNS}
# res.partner field -> spreadsheet column, to name the column of an error.
FIELD_COLUMNS = {
    "name": "name",
    "l10n_latam_identification_type_id": "document_type",
    "vat": "vat",
    "street": "street",
    "city": "city",
    "state_id": "state",
    "country_id": "country",
    "email": "email",
    "phone": "phone",
    "billing_email": "billing_email",
    "notification_emails": "notification_emails",
    "notification_whatsapp": "notification_whatsapp",
}
TEXT_FIELDS = {
    "name": "name",
    "street": "street",
    "city": "city",
    "email": "email",
    "phone": "phone",
    "mobile": "mobile",
    "billing_email": "billing_email",
    "website": "website",
    "notification_emails": "notification_emails",
    "notification_whatsapp": "notification_whatsapp",
    "customer_description": "customer_description",
    "comment": "comment",
}
BOOL_FIELDS = {"phone_is_whatsapp": "phone_is_whatsapp", "detraction_required": "detraction_required"}
# Kinds whose lost leading zeros can be put back (one possible length);
# a RUC never starts with 0. Other kinds typed as numbers are refused.
RESTORABLE_KINDS = (dn.PE_DNI, dn.HN_RTN, dn.HN_IDENTITY)
BATCH_SIZE = sheet.BATCH_SIZE
PREVIEW_ROWS = 200
PREVIEW_ERROR_ROWS = 1000
# Keys a row sets from the context rather than from its cells: an update
# does not overwrite a value the customer already has with them.
IMPLICIT_UPDATE_SKIP = ("customer_rank",)


class CustomerImportWizard(models.TransientModel):
    _name = "customer.import.wizard"
    _description = "Import Customers"

    file = fields.Binary(attachment=False, help="The filled template, .xlsx or .csv.")
    filename = fields.Char()
    contact_file = fields.Binary(
        string="Contacts File (CSV)",
        attachment=False,
        help="With a .csv of customers, the contacts come in a second .csv (columns of the sheet Contactos).",
    )
    contact_filename = fields.Char()
    is_csv = fields.Boolean(compute="_compute_is_csv")
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("done", "Done")], string="Step", default="upload", required=True
    )
    import_valid_only = fields.Boolean(
        string="Import Only Valid Rows", help="Skip the rows with errors instead of refusing the whole file."
    )
    preview_html = fields.Html(readonly=True, sanitize=False)
    count_total = fields.Integer(string="Rows", readonly=True)
    count_create = fields.Integer(string="To Create", readonly=True)
    count_update = fields.Integer(string="To Update", readonly=True)
    count_error = fields.Integer(string="Rows with Errors", readonly=True)
    count_contacts = fields.Integer(string="Contacts", readonly=True)
    count_contact_error = fields.Integer(string="Contacts with Errors", readonly=True)
    result_created = fields.Integer(string="Created", readonly=True)
    result_updated = fields.Integer(string="Updated", readonly=True)
    result_skipped = fields.Integer(string="Skipped", readonly=True)
    result_contacts = fields.Integer(string="Contacts Imported", readonly=True)
    rejected_file = fields.Binary(string="Rejected Rows", readonly=True, attachment=False)
    rejected_filename = fields.Char(readonly=True)
    template_file = fields.Binary(readonly=True, attachment=False)
    template_filename = fields.Char(readonly=True)
    job_id = fields.Many2one("customer.import.job", string="Background Import", readonly=True)

    @api.depends("filename")
    def _compute_is_csv(self):
        for wizard in self:
            wizard.is_csv = (wizard.filename or "").lower().endswith((".csv", ".txt"))

    # ------------------------------------------------------------------
    # Permissions: importing is creating and editing customers
    # ------------------------------------------------------------------
    def _check_import_rights(self):
        user = self.env.user
        if not (
            user.has_group("clientes_aduanas.clientes_aduanas_group_create")
            and user.has_group("clientes_aduanas.clientes_aduanas_group_edit")
        ):
            raise AccessError(self.env._("Importing customers needs the Create and Edit customer permissions."))

    # ------------------------------------------------------------------
    # Template
    # ------------------------------------------------------------------
    @api.model
    def _template_lists(self):
        states = self.env["res.country.state"].search([("country_id.code", "in", ("PE", "HN"))])
        return {
            "document_type": self.env["l10n_latam.identification.type"]
            .search([("customs_document_code", "!=", False)])
            .mapped("name"),
            "company_type": list(sheet.PERSON_TYPE_LABELS.values()),
            "state": sorted(set(states.mapped("name"))),
            "country": self.env["res.country"].search([]).mapped("name"),  # pylint: disable=no-search-all
            "phone_is_whatsapp": [sheet.YES, sheet.NO],
            "category": self.env["res.partner.customer.category"].search([]).mapped("name"),  # pylint: disable=no-search-all
            "customer_class": self.env["res.partner.customer.class"].search([]).mapped("name"),  # pylint: disable=no-search-all
            "detraction_required": [sheet.YES, sheet.NO],
            "is_operations_contact": [sheet.YES, sheet.NO],
        }

    @api.model
    def _template_examples(self):
        """An example customer and contact, valid, named with the lists'
        own values so that the example passes its drop-downs."""
        ruc = self.env["l10n_latam.identification.type"]._get_by_document_code(dn.PE_RUC)
        category = self.env["res.partner.customer.category"].search([], limit=1)
        customer_class = self.env["res.partner.customer.class"].search([], limit=1)
        customer = {
            "document_type": ruc.name,
            "vat": "20512345671",
            "name": "Importaciones Ejemplo S.A.C.",
            "company_type": sheet.PERSON_TYPE_LABELS["company"],
            "street": "Av. Javier Prado Este 1234",
            "city": "Lima",
            "state": self.env.ref("base.state_pe_15").name,
            "country": self.env.ref("base.pe").name,
            "email": "compras@ejemplo.pe",
            "phone": "+51 1 4405060",
            "phone_is_whatsapp": sheet.NO,
            "category": category.name,
            "customer_class": customer_class.name,
            "detraction_required": sheet.NO,
        }
        contact = {
            "customer_vat": "20512345671",
            "name": "Rosa Huamán",
            "function": "Jefa de Comercio Exterior",
            "phone": "+51 987 111 222",
            "email": "rhuaman@ejemplo.pe",
            "is_operations_contact": sheet.YES,
        }
        return customer, contact

    def action_download_template(self):
        self.ensure_one()
        customer, contact = self._template_examples()
        content = sheet.build_template(customer, contact, self._template_lists())
        return self._offer_template(content, "plantilla_clientes.xlsx")

    def action_download_template_csv(self):
        self.ensure_one()
        customer, _contact = self._template_examples()
        row = [customer.get(key, "") for key in HEADERS]
        return self._offer_template(
            sheet.build_csv([row], sheet.CUSTOMER_COLUMNS, mark_required=True), "plantilla_clientes.csv"
        )

    def action_download_contact_template_csv(self):
        self.ensure_one()
        _customer, contact = self._template_examples()
        row = [contact.get(key, "") for key in CONTACT_HEADERS]
        return self._offer_template(
            sheet.build_csv([row], sheet.CONTACT_COLUMNS, mark_required=True), "plantilla_contactos.csv"
        )

    def _offer_template(self, content, filename):
        self.write({"template_file": base64.b64encode(content), "template_filename": filename})
        return self._download("template_file", filename)

    def _download(self, field_name, filename):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/{field_name}/{filename}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _spreadsheet_error_message(self, err):
        p = err.params
        messages = {
            "empty_file": lambda: self.env._("The file is empty."),
            "not_spreadsheet": lambda: self.env._("The file is not an Excel (.xlsx) or CSV spreadsheet."),
            "encrypted_or_xls": lambda: self.env._(
                "The file is password-protected or in the old .xls format: save it as an unprotected .xlsx."
            ),
            "corrupted": lambda: self.env._("The Excel file is damaged and cannot be read."),
            "too_big": lambda: self.env._("The file is too large once uncompressed; split it into smaller files."),
            "too_many_rows": lambda: self.env._("The file has more than %(max)s rows; split it.", max=p["max"]),
            "empty_sheet": lambda: self.env._("Sheet %(sheet)s has no header row.", sheet=p["sheet"]),
            "csv_broken": lambda: self.env._(
                "The CSV file cannot be read near line %(line)s (unbalanced quotes or a field too long).",
                line=p["line"],
            ),
            "contacts_not_csv": lambda: self.env._("The contacts file must be a .csv file."),
            "formula": lambda: self.env._(
                "These cells contain formulas without a calculated value: %(cells)s. "
                "Open the file in Excel, save it, and upload it again (or paste the values).",
                cells=p["cells"],
            ),
            "headers": lambda: self.env._(
                "The columns of sheet %(sheet)s do not match the template. Missing: %(missing)s. Unknown: %(unknown)s.",
                sheet=p["sheet"],
                missing=", ".join(p["missing"]) or "-",
                unknown=", ".join(p["unknown"]) or "-",
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

    def _open_file(self):
        if not self.file:
            raise UserError(self.env._("Choose a file to import first."))
        contact_data = base64.b64decode(self.contact_file) if self.contact_file and self.is_csv else None
        with self._user_errors():
            return sheet.open_file(
                base64.b64decode(self.file), self.filename, contact_data, self.contact_filename or "contactos.csv"
            )

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
            "class": by_name(classes, "code"),
            "default_country": self.env.company.country_id,
        }

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
    # Customer rows
    # ------------------------------------------------------------------
    def _date_error(self, value):
        return self.env._(
            "The cell holds a date (%(value)s) where text is expected: type it as text.",
            value=sheet.cell_text(value),
        )

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
                        "The document number %(value)s was typed as a number and Excel rounded it: " "type it as text.",
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
        if text:
            vals["vat"] = text

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
        for key, field_name, catalog in (
            ("category", "customer_category_id", "category"),
            ("customer_class", "customer_class_id", "class"),
        ):
            if text[key]:
                record = lookups[catalog].get(sheet.fold(text[key]))
                if not record:
                    errors.append((key, self.env._("Unknown value %(value)s.", value=text[key])))
                else:
                    vals[field_name] = record.id
        return country

    def _row_to_vals(self, raw, lookups):
        """Values and errors of one customer row; errors are (column, text).
        Returns ``(vals, errors, implicit)``, ``implicit`` the fields set
        from the context rather than from a cell."""
        errors, implicit = [], ["customer_rank"]
        vals = {"is_registered_customer": True, "customer_rank": 1}
        text = {}
        for key in HEADERS:
            value = raw.get(key)
            if key != "vat" and sheet.is_date(value):
                errors.append((key, self._date_error(value)))
            text[key] = sheet.unneutralize(sheet.cell_text(value))
        for field_name, key in TEXT_FIELDS.items():
            if text[key]:
                vals[field_name] = text[key]
        id_type = lookups["type"].get(sheet.fold(text["document_type"]))
        if text["document_type"] and not id_type:
            errors.append(
                ("document_type", self.env._("Unknown document type %(value)s.", value=text["document_type"]))
            )
        if id_type:
            vals["l10n_latam_identification_type_id"] = id_type.id
        self._document_vals(raw, id_type, vals, errors)
        for field_name, key in BOOL_FIELDS.items():
            if not text[key]:
                continue
            value = sheet.parse_bool(text[key])
            if value is None:
                errors.append((key, self.env._("Write Sí or No, not %(value)s.", value=text[key])))
            else:
                vals[field_name] = value
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
            partner = match[1]
            if partner.id in ctx["matched"]:
                row["errors"].append(
                    (
                        "vat" if match[0] == "vat" else "email",
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

    def _analyse_contact_batch(self, batch, ctx):
        Partner = self.env["res.partner"].with_context(active_test=False)
        contacts = []
        for number, raw in batch:
            errors = []
            text = {}
            for key in CONTACT_HEADERS:
                value = raw.get(key)
                if key != "customer_vat" and sheet.is_date(value):
                    errors.append((key, self._date_error(value)))
                text[key] = sheet.unneutralize(sheet.cell_text(value))
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
            candidates = self._document_candidates(raw.get("customer_vat"))
            document = next((ctx["documents"][c] for c in candidates if c in ctx["documents"]), None)
            contacts.append(
                {
                    "row": number,
                    "raw": raw,
                    "errors": errors,
                    "candidates": candidates,
                    "document": document,
                    "vals": {
                        "name": text["name"],
                        "function": text["function"] or False,
                        "phone": text["phone"] or False,
                        "email": text["email"] or False,
                        "is_operations_contact": bool(principal),
                        "type": "contact",
                    },
                    "parent_key": False,
                    "parent_id": False,
                }
            )
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
    def _analyse(self):
        """Every row of the file, analysed, nothing written: ``rows`` (row,
        raw, vals, errors, partner, action) and ``contacts``. Handy for a
        small file; the preview and the import stream batches instead."""
        ctx = self._new_context()
        with contextlib.closing(self._open_file()) as book:
            rows = [r for b in self._iter_batches(book.customers(), self._analyse_customer_batch, ctx) for r in b]
            contacts = [c for b in self._iter_batches(book.contacts(), self._analyse_contact_batch, ctx) for c in b]
        return {"rows": rows, "contacts": contacts}

    def _error_text(self, errors, headers):
        return "; ".join(f"{headers.get(column, column)}: {message}" for column, message in errors)

    def _rejected_writer(self):
        # Spanish header like the template's: the file's own vocabulary.
        return sheet.RejectedWriter(sheet.ERRORS_HEADER)

    def _reject_customer(self, writer, row):
        writer.add_customer(
            [sheet.cell_text(row["raw"].get(key)) for key in HEADERS], self._error_text(row["errors"], HEADERS)
        )

    def _reject_contact(self, writer, contact):
        writer.add_contact(
            [sheet.cell_text(contact["raw"].get(key)) for key in CONTACT_HEADERS],
            self._error_text(contact["errors"], CONTACT_HEADERS),
        )

    @staticmethod
    def _compact(row):
        """What writing a checked customer row needs (JSON-friendly)."""
        return {
            "row": row["row"],
            "vals": row["vals"],
            "partner_id": row["partner"].id if row["partner"] else False,
            "implicit": row["implicit"],
        }

    @staticmethod
    def _compact_contact(contact):
        return {
            "row": contact["row"],
            "vals": contact["vals"],
            "parent_key": contact["parent_key"],
            "parent_id": contact["parent_id"],
        }

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _preview_table(self, shown, contact_errors, counts):
        labels = {"create": self.env._("Create"), "update": self.env._("Update"), "error": self.env._("Error")}
        head = Markup(
            "<table class='table table-sm table-bordered o_customer_import_preview'><thead><tr>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Sheet"),
            self.env._("Row"),
            self.env._("Action"),
            HEADERS["vat"],
            HEADERS["name"],
            self.env._("Errors"),
        )
        body = Markup()
        for row in sorted(shown, key=lambda r: r["row"]):
            errors = Markup("<br/>").join(
                Markup("<b>%s</b>: %s") % (HEADERS.get(column, column), message) for column, message in row["errors"]
            )
            css = {"error": "table-danger", "update": "table-info", "create": ""}[row["action"]]
            body += Markup("<tr class='%s'><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                css,
                sheet.CUSTOMER_SHEET,
                row["row"],
                labels[row["action"]],
                sheet.cell_text(row["raw"].get("vat")),
                sheet.cell_text(row["raw"].get("name")),
                errors,
            )
        for contact in contact_errors:
            errors = Markup("<br/>").join(
                Markup("<b>%s</b>: %s") % (CONTACT_HEADERS.get(column, column), message)
                for column, message in contact["errors"]
            )
            body += Markup(
                "<tr class='table-danger'><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
            ) % (
                sheet.CONTACT_SHEET,
                contact["row"],
                labels["error"],
                sheet.cell_text(contact["raw"].get("customer_vat")),
                contact["vals"]["name"],
                errors,
            )
        footer = Markup("</tbody></table>")
        hidden = counts["total"] + counts["contact_error"] - len(shown) - len(contact_errors)
        if hidden > 0:
            footer += Markup("<p class='text-muted'>%s</p>") % self.env._(
                "%(hidden)s more rows are not shown: every row with errors comes first, then the first valid "
                "ones. The file of rejected rows lists every error.",
                hidden=hidden,
            )
        return head + body + footer

    def action_preview(self):
        """Read and check the whole file, batch by batch, writing nothing."""
        self.ensure_one()
        self._check_import_rights()
        ctx = self._new_context()
        counts = dict.fromkeys(("total", "create", "update", "error", "contacts", "contact_error"), 0)
        shown_errors, shown_valid, contact_errors = [], [], []
        writer = self._rejected_writer()
        with contextlib.closing(writer), contextlib.closing(self._open_file()) as book:
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
        vals = {
            "state": "preview",
            "preview_html": self._preview_table(shown_errors + shown_valid, contact_errors, counts),
            "count_total": counts["total"],
            "count_create": counts["create"],
            "count_update": counts["update"],
            "count_error": counts["error"],
            "count_contacts": counts["contacts"],
            "count_contact_error": counts["contact_error"],
            "rejected_file": False,
            "rejected_filename": False,
        }
        if rejected:
            vals["rejected_file"] = base64.b64encode(rejected)
            vals["rejected_filename"] = "clientes_con_errores.xlsx"
        self.write(vals)
        return self._reopen()

    def action_back(self):
        self.write({"state": "upload", "preview_html": False, "rejected_file": False, "rejected_filename": False})
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Customers"),
        }

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    @api.model
    def _background_threshold(self):
        """Above this many customer rows the import runs in the background
        (system parameter clientes_aduanas.import_background_threshold)."""
        threshold = self.env.context.get("customer_import_background_threshold")
        if threshold is None:
            threshold = (
                self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.import_background_threshold", 10000)
            )
        return int(threshold)

    def action_import(self):
        """Check the whole file again (it may have changed since the
        preview, and so may the database) and write the chosen rows: in
        this transaction up to the threshold, in background chunks above.
        Any refusal leaves nothing behind (savepoint)."""
        self.ensure_one()
        self._check_import_rights()
        threshold = self._background_threshold()
        ctx = self._new_context()
        writer = self._rejected_writer()
        rows, contacts, job = [], [], self.env["customer.import.job"]
        skipped = skipped_contacts = 0
        with self.env.cr.savepoint(), contextlib.closing(writer), contextlib.closing(self._open_file()) as book:
            for batch in self._iter_batches(book.customers(), self._analyse_customer_batch, ctx):
                valid = []
                for row in batch:
                    if row["errors"]:
                        skipped += 1
                        self._reject_customer(writer, row)
                    else:
                        valid.append(self._compact(row))
                if not job and len(rows) + len(valid) > threshold:
                    # Too many for one request: from here on, chunks.
                    job = job._create_for_wizard(self)
                    job._add_chunks("customers", rows)
                    rows = []
                if job:
                    job._add_chunks("customers", valid)
                else:
                    rows += valid
            for batch in self._iter_batches(book.contacts(), self._analyse_contact_batch, ctx):
                valid = []
                for contact in batch:
                    if contact["errors"]:
                        skipped_contacts += 1
                        self._reject_contact(writer, contact)
                    else:
                        valid.append(self._compact_contact(contact))
                if job:
                    job._add_chunks("contacts", valid)
                else:
                    contacts += valid
            if (skipped or skipped_contacts) and not self.import_valid_only:
                raise UserError(
                    self.env._(
                        "%(count)s rows have errors: nothing was imported. Fix the file and upload it again, "
                        "or tick “Import only valid rows”.",
                        count=skipped + skipped_contacts,
                    )
                )
            rejected = writer.finish()
            vals = {"state": "done", "result_skipped": skipped + skipped_contacts}
            if rejected:
                vals.update(rejected_file=base64.b64encode(rejected), rejected_filename="clientes_rechazados.xlsx")
            if job:
                job._start(skipped + skipped_contacts, rejected)
                vals["job_id"] = job.id
            else:
                result = self._write_rows(rows, contacts)
                vals.update(
                    result_created=result["created"],
                    result_updated=result["updated"],
                    result_contacts=result["contacts_created"] + result["contacts_updated"],
                )
            self.write(vals)
        return self._reopen()

    @contextlib.contextmanager
    def _defaults_cache(self):
        """res.partner.default_get answers once per batch while the import
        writes (context customer_import_batch); forget them afterwards."""
        try:
            yield
        finally:
            self.env.cr.cache.pop("clientes_aduanas_defaults", None)

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
            for child in Partner.search_fetch([("parent_id", "in", parent_ids)], ["parent_id", "name"]):
                existing.setdefault((child.parent_id.id, sheet.fold(child.name)), child)
        to_create, updated = [], 0
        for contact, parent in by_contact:
            child = existing.get((parent.id, sheet.fold(contact["vals"]["name"])))
            if child:
                child.write(contact["vals"])
                updated += 1
            else:
                to_create.append({**contact["vals"], "parent_id": parent.id})
        for start in range(0, len(to_create), BATCH_SIZE):
            Partner.create(to_create[start : start + BATCH_SIZE])
        return len(to_create), updated, lost

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

    def action_download_rejected(self):
        self.ensure_one()
        return self._download("rejected_file", self.rejected_filename or "clientes_rechazados.xlsx")

    def action_open_job(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.import.job",
            "res_id": self.job_id.id,
            "view_mode": "form",
            "target": "current",
        }
