import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
PREVIEW_ROWS = 200


class CustomerImportWizard(models.TransientModel):
    _name = "customer.import.wizard"
    _description = "Import Customers"

    file = fields.Binary(attachment=False)
    filename = fields.Char()
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("done", "Done")], default="upload", required=True
    )
    import_valid_only = fields.Boolean(
        string="Import Only Valid Rows", help="Skip the rows with errors instead of refusing the whole file."
    )
    preview_html = fields.Html(readonly=True, sanitize=False)
    count_total = fields.Integer(readonly=True)
    count_create = fields.Integer(string="To Create", readonly=True)
    count_update = fields.Integer(string="To Update", readonly=True)
    count_error = fields.Integer(string="With Errors", readonly=True)
    count_contacts = fields.Integer(string="Contacts", readonly=True)
    result_created = fields.Integer(string="Created", readonly=True)
    result_updated = fields.Integer(string="Updated", readonly=True)
    result_skipped = fields.Integer(string="Skipped", readonly=True)
    result_contacts = fields.Integer(string="Contacts Imported", readonly=True)
    rejected_file = fields.Binary(readonly=True, attachment=False)
    rejected_filename = fields.Char(readonly=True)
    template_file = fields.Binary(readonly=True, attachment=False)
    template_filename = fields.Char(readonly=True)
    job_id = fields.Many2one("customer.import.job", readonly=True)

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
            "category": self.env["res.partner.customer.category"].search([]).mapped("name"),  # pylint: disable=no-search-all
            "customer_class": self.env["res.partner.customer.class"].search([]).mapped("name"),  # pylint: disable=no-search-all
            "country": self.env["res.country"].search([]).mapped("name"),  # pylint: disable=no-search-all
            "state": sorted(set(states.mapped("name"))),
            "phone_is_whatsapp": [sheet.YES, sheet.NO],
            "detraction_required": [sheet.YES, sheet.NO],
            "is_operations_contact": [sheet.YES, sheet.NO],
        }

    @api.model
    def _template_example_rows(self):
        example = {
            "document_type": "RUC",
            "vat": "20512345671",
            "name": "Importaciones Ejemplo S.A.C.",
            "company_type": "Jurídica",
            "street": "Av. Javier Prado Este 1234",
            "city": "Lima",
            "state": "Lima",
            "country": "Perú",
            "email": "compras@ejemplo.pe",
            "phone": "+51 1 4405060",
            "phone_is_whatsapp": sheet.NO,
            "category": "NORMAL",
            "customer_class": "EXTERNO",
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
        return (
            [[example.get(key, "") for key, _h, _r in sheet.CUSTOMER_COLUMNS]],
            [[contact.get(key, "") for key, _h, _r in sheet.CONTACT_COLUMNS]],
        )

    def action_download_template(self):
        self.ensure_one()
        customers, contacts = self._template_example_rows()
        content = sheet.build_xlsx(
            customers,
            contacts,
            sheet.CUSTOMER_COLUMNS,
            sheet.CONTACT_COLUMNS,
            lists=self._template_lists(),
            mark_required=True,
        )
        self.write({"template_file": base64.b64encode(content), "template_filename": "plantilla_clientes.xlsx"})
        return self._download("template_file", "plantilla_clientes.xlsx")

    def action_download_template_csv(self):
        self.ensure_one()
        customers, _contacts = self._template_example_rows()
        content = sheet.build_csv(customers, sheet.CUSTOMER_COLUMNS, mark_required=True)
        self.write({"template_file": base64.b64encode(content), "template_filename": "plantilla_clientes.csv"})
        return self._download("template_file", "plantilla_clientes.csv")

    def _download(self, field_name, filename):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/{field_name}/{filename}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Reading and validating
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
            "too_many_rows": lambda: self.env._("The file has more than %(max)s rows; split it.", **p),
            "empty_sheet": lambda: self.env._("Sheet %(sheet)s is empty.", **p),
            "formula": lambda: self.env._(
                "These cells contain formulas without a calculated value: %(cells)s. "
                "Open the file in Excel, save it, and upload it again (or paste the values).",
                **p,
            ),
            "headers": lambda: self.env._(
                "The columns do not match the template. Missing: %(missing)s. Unknown: %(unknown)s.",
                missing=", ".join(p["missing"]) or "-",
                unknown=", ".join(p["unknown"]) or "-",
            ),
        }
        return messages[err.rule]()

    def _read_file(self):
        if not self.file:
            raise UserError(self.env._("Choose a file to import first."))
        try:
            return sheet.read_file(base64.b64decode(self.file), self.filename)
        except sheet.SpreadsheetError as err:
            raise UserError(self._spreadsheet_error_message(err)) from err

    @api.model
    def _lookups(self):
        """Every catalog the rows refer to, read once per import."""
        types = self.env["l10n_latam.identification.type"].search([])  # pylint: disable=no-search-all
        countries = self.env["res.country"].search([])  # pylint: disable=no-search-all
        states = self.env["res.country.state"].search([("country_id.code", "in", ("PE", "HN"))])
        categories = self.env["res.partner.customer.category"].search([])  # pylint: disable=no-search-all
        classes = self.env["res.partner.customer.class"].search([])  # pylint: disable=no-search-all
        country_map = {}
        # Country names in every installed language (Perú, Peru...) and codes.
        for lang, _label in self.env["res.lang"].get_installed():
            for country in countries.with_context(lang=lang):
                country_map[sheet.fold(country.name)] = country.with_env(self.env)
        for country in countries:
            country_map[sheet.fold(country.code)] = country
        state_map = {}
        for state in states:
            state_map[(state.country_id.id, sheet.fold(state.name))] = state
            state_map[(state.country_id.id, sheet.fold(state.code))] = state
        type_map = {sheet.fold(t.name): t for t in types}
        type_map.update({sheet.fold(t.customs_document_code): t for t in types if t.customs_document_code})
        return {
            "type": type_map,
            "country": country_map,
            "state": state_map,
            "category": {sheet.fold(c.name): c for c in categories} | {sheet.fold(c.code): c for c in categories},
            "class": {sheet.fold(c.name): c for c in classes} | {sheet.fold(c.code): c for c in classes},
            "default_country": self.env.company.country_id,
        }

    def _row_catalog_vals(self, text, id_type, lookups, vals, errors):
        """Country, department, category and class of a row, from the
        catalogs read once per import; returns the customer's country."""
        country = lookups["country"].get(sheet.fold(text["country"])) if text["country"] else None
        if text["country"] and not country:
            errors.append(("country", self.env._("Unknown country %(value)s.", value=text["country"])))
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
        """Values and errors of one customer row; errors are (column, text)."""
        Partner = self.env["res.partner"]
        errors = []
        vals = {"is_registered_customer": True, "customer_rank": 1}
        text = {key: sheet.unneutralize(sheet.cell_text(raw.get(key))) for key in HEADERS}
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
            vals["vat"], _restored = sheet.document_text(raw.get("vat"), id_type.customs_document_code)
        for field_name, key in BOOL_FIELDS.items():
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
            vals["is_company"] = dn.ruc_company_type(vals["vat"]) == "company"
        country = self._row_catalog_vals(text, id_type, lookups, vals, errors)
        normalized, rule_errors = Partner._customer_validate_vals(vals, country=country)
        errors += [(FIELD_COLUMNS.get(field, field), message) for field, message in rule_errors]
        return normalized, errors

    def _analyse(self):
        """Parse and check the whole file without writing anything.

        Returns a dict with ``rows`` (one per customer row: number, action
        create/update/error, vals, partner, errors) and ``contacts``.
        """
        customers, contacts = self._read_file()
        lookups = self._lookups()
        rows = []
        seen_email, seen_document = {}, {}
        for number, raw in customers:
            vals, errors = self._row_to_vals(raw, lookups)
            email = (vals.get("email") or "").strip().lower()
            document = (vals.get("l10n_latam_identification_type_id"), vals.get("vat"))
            if email and email in seen_email:
                errors.append(("email", self.env._("Same e-mail as row %(row)s of this file.", row=seen_email[email])))
            if document[1] and document in seen_document:
                errors.append(
                    ("vat", self.env._("Same document as row %(row)s of this file.", row=seen_document[document]))
                )
            seen_email.setdefault(email, number)
            seen_document.setdefault(document, number)
            rows.append({"row": number, "vals": vals, "errors": errors, "raw": raw})
        matches = self.env["res.partner"]._find_duplicate_customers([row["vals"] for row in rows])
        for row, match in zip(rows, matches, strict=True):
            row["partner"] = match[1] if match else None
            row["action"] = "error" if row["errors"] else ("update" if match else "create")
        return {"rows": rows, "contacts": self._analyse_contacts(contacts, rows)}

    def _analyse_contacts(self, contacts, rows):
        by_vat = {row["vals"].get("vat"): row for row in rows if row["vals"].get("vat")}
        missing = {
            dn.normalize(sheet.cell_text(raw.get("customer_vat")))
            for _n, raw in contacts
            if dn.normalize(sheet.cell_text(raw.get("customer_vat"))) not in by_vat
        } - {""}
        existing = {}
        if missing:
            for partner in self.env["res.partner"].search(
                [("is_registered_customer", "=", True), ("vat", "in", list(missing))]
            ):
                existing[partner.vat] = partner
        result = []
        for number, raw in contacts:
            text = {key: sheet.unneutralize(sheet.cell_text(raw.get(key))) for key in CONTACT_HEADERS}
            vat = dn.normalize(text["customer_vat"])
            errors = []
            if not text["name"]:
                errors.append(("name", self.env._("The contact name is required.")))
            _vals, email_errors = self.env["res.partner"]._customer_validate_vals({"email": text["email"]})
            errors += [("email", message) for field, message in email_errors if field == "email" and text["email"]]
            principal = sheet.parse_bool(text["is_operations_contact"])
            if principal is None:
                errors.append(("is_operations_contact", self.env._("Write Sí or No.")))
            row = by_vat.get(vat)
            partner = existing.get(vat)
            if not row and not partner:
                errors.append(
                    ("customer_vat", self.env._("No customer with document %(vat)s in the file or in Odoo.", vat=vat))
                )
            elif row and row["action"] == "error":
                errors.append(("customer_vat", self.env._("Its customer (row %(row)s) has errors.", row=row["row"])))
            result.append(
                {
                    "row": number,
                    "customer_row": row,
                    "partner": partner,
                    "vals": {
                        "name": text["name"],
                        "function": text["function"] or False,
                        "phone": text["phone"] or False,
                        "email": text["email"] or False,
                        "is_operations_contact": bool(principal),
                        "type": "contact",
                    },
                    "errors": errors,
                    "raw": raw,
                }
            )
        return result

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _render_preview(self, analysis):
        labels = {
            "create": self.env._("Create"),
            "update": self.env._("Update"),
            "error": self.env._("Error"),
        }
        shown = [r for r in analysis["rows"] if r["errors"]][:1000] or []
        shown += [r for r in analysis["rows"] if not r["errors"]][: max(0, PREVIEW_ROWS - len(shown))]
        shown.sort(key=lambda r: r["row"])
        head = Markup(
            "<table class='table table-sm o_customer_import_preview'><thead><tr>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Row"),
            self.env._("Action"),
            HEADERS["vat"],
            HEADERS["name"],
            self.env._("Errors"),
        )
        body = Markup()
        for row in shown:
            errors = Markup("<br/>").join(
                Markup("<b>%s</b>: %s") % (HEADERS.get(column, column), message) for column, message in row["errors"]
            )
            css = {"error": "table-danger", "update": "table-info", "create": ""}[row["action"]]
            body += Markup("<tr class='%s'><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                css,
                row["row"],
                labels[row["action"]],
                row["vals"].get("vat") or "",
                row["vals"].get("name") or "",
                errors,
            )
        contact_errors = [c for c in analysis["contacts"] if c["errors"]]
        for contact in contact_errors[:500]:
            errors = Markup("<br/>").join(
                Markup("<b>%s</b>: %s") % (CONTACT_HEADERS.get(column, column), message)
                for column, message in contact["errors"]
            )
            body += Markup("<tr class='table-danger'><td>%s %s</td><td>%s</td><td></td><td>%s</td><td>%s</td></tr>") % (
                sheet.CONTACT_SHEET,
                contact["row"],
                labels["error"],
                contact["vals"]["name"],
                errors,
            )
        footer = Markup("</tbody></table>")
        if len(analysis["rows"]) > len(shown):
            footer += Markup("<p>%s</p>") % self.env._(
                "Showing %(shown)s of %(total)s rows: every row with errors, then the first valid ones.",
                shown=len(shown),
                total=len(analysis["rows"]),
            )
        return head + body + footer

    def action_preview(self):
        self.ensure_one()
        self._check_import_rights()
        analysis = self._analyse()
        rows = analysis["rows"]
        self.write(
            {
                "state": "preview",
                "preview_html": self._render_preview(analysis),
                "count_total": len(rows),
                "count_create": sum(1 for r in rows if r["action"] == "create"),
                "count_update": sum(1 for r in rows if r["action"] == "update"),
                "count_error": sum(1 for r in rows if r["action"] == "error")
                + sum(1 for c in analysis["contacts"] if c["errors"]),
                "count_contacts": len(analysis["contacts"]),
            }
        )
        return self._reopen()

    def action_back(self):
        self.write({"state": "upload", "preview_html": False})
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
        return int(
            self.env.context.get("customer_import_background_threshold")
            or self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.import_background_threshold", 10000)
        )

    def action_import(self):
        self.ensure_one()
        self._check_import_rights()
        analysis = self._analyse()
        rows, contacts = analysis["rows"], analysis["contacts"]
        bad_rows = [r for r in rows if r["errors"]] + [c for c in contacts if c["errors"]]
        if bad_rows and not self.import_valid_only:
            raise UserError(
                self.env._(
                    "%(count)s rows have errors: nothing was imported. Fix the file and upload it again, "
                    "or tick “Import only valid rows”.",
                    count=len(bad_rows),
                )
            )
        if len(rows) > self._background_threshold():
            job = self.env["customer.import.job"]._enqueue(self, analysis)
            self.write({"state": "done", "job_id": job.id})
            return self._reopen()
        result = self._write_rows(rows, contacts)
        self._store_result(result, analysis)
        return self._reopen()

    def _store_result(self, result, analysis):
        rejected = [r for r in analysis["rows"] if r["errors"]]
        rejected_contacts = [c for c in analysis["contacts"] if c["errors"]]
        vals = {
            "state": "done",
            "result_created": result["created"],
            "result_updated": result["updated"],
            "result_skipped": len(rejected),
            "result_contacts": result["contacts"],
        }
        if rejected or rejected_contacts:
            vals["rejected_file"] = base64.b64encode(self._rejected_workbook(rejected, rejected_contacts))
            vals["rejected_filename"] = "clientes_rechazados.xlsx"
        self.write(vals)

    def _rejected_workbook(self, rows, contacts):
        """The rejected rows as they came, with an extra column of errors,
        ready to fix and upload again."""
        errors_column = ("errors", self.env._("Errors"), False)
        customer_rows = [
            [sheet.cell_text(r["raw"].get(key)) for key, _h, _r in sheet.CUSTOMER_COLUMNS]
            + ["; ".join(f"{HEADERS.get(c, c)}: {m}" for c, m in r["errors"])]
            for r in rows
        ]
        contact_rows = [
            [sheet.cell_text(c["raw"].get(key)) for key, _h, _r in sheet.CONTACT_COLUMNS]
            + ["; ".join(f"{CONTACT_HEADERS.get(col, col)}: {m}" for col, m in c["errors"])]
            for c in contacts
        ]
        return sheet.build_xlsx(
            customer_rows,
            contact_rows,
            [*sheet.CUSTOMER_COLUMNS, errors_column],
            [*sheet.CONTACT_COLUMNS, errors_column],
        )

    @api.model
    def _write_rows(self, rows, contacts):
        """Write the valid rows in one transaction (savepoint): any failure
        leaves the database as it was and is reported in Spanish."""
        Partner = self.env["res.partner"].with_context(
            customer_import_batch=True, tracking_disable=True, mail_create_nolog=True
        )
        to_create = [r for r in rows if r["action"] == "create"]
        to_update = [r for r in rows if r["action"] == "update"]
        result = {"created": 0, "updated": 0, "contacts": 0}
        try:
            with self.env.cr.savepoint():
                created = Partner.with_context(customer_vals_prevalidated=True).create([r["vals"] for r in to_create])
                for row, partner in zip(to_create, created, strict=True):
                    row["partner"] = partner
                for row in to_update:
                    vals = {k: v for k, v in row["vals"].items() if v not in (False, None, "")}
                    row["partner"].with_env(Partner.env).write(vals)
                contact_vals = []
                for contact in contacts:
                    if contact["errors"]:
                        continue
                    parent = contact["customer_row"]["partner"] if contact["customer_row"] else contact["partner"]
                    existing = parent.child_ids.filtered(lambda c, n=contact["vals"]["name"]: c.name == n)
                    if existing:
                        existing[:1].write(contact["vals"])
                    else:
                        contact_vals.append({**contact["vals"], "parent_id": parent.id})
                Partner.create(contact_vals)
                result = {
                    "created": len(created),
                    "updated": len(to_update),
                    "contacts": len([c for c in contacts if not c["errors"]]),
                }
        except (ValidationError, UserError) as err:
            raise UserError(self.env._("Nothing was imported: %(reason)s", reason=err.args[0])) from err
        finally:
            self.env.cr.cache.pop("clientes_aduanas_defaults", None)
        return result

    def action_download_rejected(self):
        self.ensure_one()
        return self._download("rejected_file", self.rejected_filename or "clientes_rechazados.xlsx")
