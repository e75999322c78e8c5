import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet
from ..tools import document_number as dn


def _column_selection(columns):
    return [(c.key, c.header) for c in columns] + [(schema.IGNORE, "(Ignore)")]


class CustomerImportWizardColumn(models.TransientModel):
    """A column of the uploaded file that no header or synonym explains:
    the user maps it to a field or ignores it."""

    _name = "customer.import.wizard.column"
    _description = "Import Customers: Column of the File"
    _order = "id"

    wizard_id = fields.Many2one("customer.import.wizard", required=True, ondelete="cascade")
    sheet = fields.Char(readonly=True)
    header = fields.Char(string="Column in the File", readonly=True)
    header_key = fields.Char(readonly=True)
    is_contact = fields.Boolean(readonly=True)
    customer_key = fields.Selection(
        _column_selection(schema.CUSTOMER_COLUMNS), string="Customer Field", help="Where this column goes."
    )
    contact_key = fields.Selection(
        _column_selection(schema.CONTACT_COLUMNS), string="Contact Field", help="Where this column goes."
    )

    def _choice(self):
        self.ensure_one()
        return self.contact_key if self.is_contact else self.customer_key


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
    column_ids = fields.One2many(
        "customer.import.wizard.column",
        "wizard_id",
        string="Unknown Columns",
        help="Columns of the file that match no field: map each one to a field or ignore it.",
    )
    missing_columns = fields.Char(readonly=True, help="Required columns the file lacks.")
    save_mapping = fields.Boolean(
        string="Remember These Columns",
        default=True,
        help="Use the columns chosen here for the next file with the same headers.",
    )

    @api.depends("filename")
    def _compute_is_csv(self):
        for wizard in self:
            wizard.is_csv = (wizard.filename or "").lower().endswith((".csv", ".txt"))

    # ------------------------------------------------------------------
    # Permissions: importing is creating and editing customers
    # ------------------------------------------------------------------
    def _check_import_rights(self):
        Partner = self.env["res.partner"]
        if not (Partner._customer_has_permission("create") and Partner._customer_has_permission("write")):
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
        row = [customer.get(c.key, "") for c in sheet.CUSTOMER_COLUMNS]
        return self._offer_template(
            sheet.build_csv([row], sheet.CUSTOMER_COLUMNS, mark_required=True), "plantilla_clientes.csv"
        )

    def action_download_contact_template_csv(self):
        self.ensure_one()
        _customer, contact = self._template_examples()
        row = [contact.get(c.key, "") for c in sheet.CONTACT_COLUMNS]
        return self._offer_template(
            sheet.build_csv([row], sheet.CONTACT_COLUMNS, mark_required=True), "plantilla_contactos.csv"
        )

    def _offer_template(self, content, filename):
        self.write({"template_file": base64.b64encode(content), "template_filename": filename})
        return self._download("template_file", filename)

    def _download(self, field_name, filename):
        return sheet.download_action(self._name, self.id, field_name, filename)

    # ------------------------------------------------------------------
    # Screens: upload, columns and preview, result
    # ------------------------------------------------------------------
    def _source(self):
        """What the import engine reads: the upload and the user's column
        choices."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a file to import first."))
        choices = {}
        for line in self.column_ids:
            if line._choice():
                choices.setdefault(line.sheet, {})[line.header_key] = line._choice()
        return {
            "data": base64.b64decode(self.file),
            "filename": self.filename,
            "contact_data": base64.b64decode(self.contact_file) if self.contact_file and self.is_csv else None,
            "contact_filename": self.contact_filename or "contactos.csv",
            "choices": choices,
        }

    def _sync_columns(self, report):
        """The selectors of the preview: one line per column the file has
        that no header, synonym or saved mapping explains (kept with the
        user's choice), and for those the user mapped by hand."""
        self.ensure_one()
        kept = {(line.sheet, line.header_key): line for line in self.column_ids}
        wanted = [c for c in report if c["state"] == "unknown" or (c["sheet"], c["header_key"]) in kept]
        commands = [
            fields.Command.create(
                {
                    "sheet": c["sheet"],
                    "header": c["header"],
                    "header_key": c["header_key"],
                    "is_contact": c["sheet"] == sheet.CONTACT_SHEET,
                }
            )
            for c in wanted
            if (c["sheet"], c["header_key"]) not in kept
        ]
        present = {(c["sheet"], c["header_key"]) for c in report}
        commands += [fields.Command.unlink(line.id) for key, line in kept.items() if key not in present]
        missing = [f"{c['sheet']}: {c['label']}" for c in report if c["state"] == "missing"]
        self.write({"column_ids": commands, "missing_columns": ", ".join(missing) or False})

    def _remember_columns(self, matches):
        Mapping = self.env["customer.import.mapping"]
        # The other importers' choices apply to their own import only.
        if not self.save_mapping or not Mapping._may_save():
            return
        for line in self.column_ids.filtered(lambda c: c._choice()):
            match = matches.get(line.sheet)
            if match:
                choices = Mapping._choices_for(line.sheet, schema.signature(match.headers))
                choices[line.header_key] = line._choice()
                Mapping._remember(line.sheet, schema.signature(match.headers), choices)

    def action_preview(self):
        """Read and check the whole file, writing nothing (the preview)."""
        self.ensure_one()
        self._check_import_rights()
        result = self.env["customer.import.engine"]._preview(self._source())
        counts = result["counts"]
        self._sync_columns(result["columns"])
        vals = {
            "state": "preview",
            "preview_html": result["html"],
            "count_total": counts["total"],
            "count_create": counts["create"],
            "count_update": counts["update"],
            "count_error": counts["error"],
            "count_contacts": counts["contacts"],
            "count_contact_error": counts["contact_error"],
            "rejected_file": False,
            "rejected_filename": False,
        }
        if result["rejected"]:
            vals["rejected_file"] = base64.b64encode(result["rejected"])
            vals["rejected_filename"] = "clientes_con_errores.xlsx"
        self.write(vals)
        return self._reopen()

    def action_back(self):
        self.write(
            {
                "state": "upload",
                "preview_html": False,
                "rejected_file": False,
                "rejected_filename": False,
                "column_ids": [fields.Command.clear()],
                "missing_columns": False,
            }
        )
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

    def action_import(self):
        """Write the valid rows (or all of them): in this request up to the
        background threshold, as a background import above it."""
        self.ensure_one()
        self._check_import_rights()
        result = self.env["customer.import.engine"]._import(self._source(), self.import_valid_only)
        self._remember_columns(result["matches"])
        vals = {"state": "done", "result_skipped": result["skipped"]}
        if result["rejected"]:
            vals.update(
                rejected_file=base64.b64encode(result["rejected"]), rejected_filename="clientes_rechazados.xlsx"
            )
        if result["job"]:
            vals["job_id"] = result["job"].id
        else:
            vals.update(
                result_created=result["created"],
                result_updated=result["updated"],
                result_contacts=result["contacts_created"] + result["contacts_updated"],
            )
        self.write(vals)
        return self._reopen()

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
