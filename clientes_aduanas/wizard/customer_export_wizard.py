import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.safe_eval import safe_eval

from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet

EXPORT_COLUMNS = [*schema.CUSTOMER_COLUMNS, *schema.EXPORT_COLUMNS]
CSV_EXPORT_COLUMNS = [*EXPORT_COLUMNS, schema.CONTACT_SUMMARY]
READ_BATCH = 1000


class CustomerExportWizard(models.TransientModel):
    _name = "customer.export.wizard"
    _description = "Export Customers"

    export_format = fields.Selection(
        [("xlsx", "Excel (.xlsx)"), ("csv", "CSV"), ("csv_contacts", "CSV of contacts")],
        string="Format",
        default="xlsx",
        required=True,
        help="Excel carries the customers and their contacts (sheets Clientes and Contactos). "
        "CSV has one table: the customers (contacts summarised in one column), or their contacts.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    customer_count = fields.Integer(compute="_compute_customer_count", string="Customers to Export")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.depends("partner_ids")
    def _compute_customer_count(self):
        for wizard in self:
            wizard.customer_count = len(wizard.partner_ids)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "partner_ids" in fields_list:
            partners = self._partners_from_context()
            res["partner_ids"] = [fields.Command.set(partners.filtered("is_registered_customer").ids)]
        return res

    @api.model
    def _partners_from_context(self):
        """The selected customers; with none selected (the list's Export
        button) or when the whole filtered list is selected (the web client
        then sends at most web.active_ids_limit ids), the list's filters."""
        context = self.env.context
        ids = context.get("active_ids") or []
        domain = context.get("active_domain")
        limit = int(self.env["ir.config_parameter"].sudo().get_param("web.active_ids_limit", 20000))
        if domain is not None and (not ids or len(ids) >= limit):
            if isinstance(domain, str):
                domain = safe_eval(domain)
            return self.env["res.partner"].search(domain)
        return self.env["res.partner"].browse(ids).exists()

    def _customers(self):
        if not self.env["res.partner"]._customer_has_permission("view"):
            raise AccessError(self.env._("Exporting customers needs the View customers permission."))
        customers = self.partner_ids.filtered("is_registered_customer")
        if not customers:
            raise UserError(self.env._("Select at least one registered customer to export."))
        return customers

    @api.model
    def _statistics(self, customers):
        """Expedientes, last operation and invoiced totals of the allowed
        companies: one grouped read per figure for the whole export, each
        as the exporting user sees it (the customer's operations are the ones
        the delete guard and the smart buttons count; a model the user cannot
        read gives no figures rather than an error or someone else's totals)."""
        companies = [("company_id", "in", self.env.companies.ids)]

        def grouped(kind, aggregate, domain=()):
            source = customers._customer_operation_source(kind)
            if not source:
                return {}
            found = customers._customer_operation_read_group(source, (aggregate,), [*companies, *domain])
            return {key: values[0] for key, values in found.items()}

        files = grouped("customs_file", "__count")
        invoiced = grouped("invoice", "amount_total_signed:sum", [("state", "=", "posted")])
        History = self.env["customs.operation.history"]
        last = {}
        if History.has_access("read"):
            last = {
                partner.id: date
                for partner, date in History._read_group(
                    [("commercial_partner_id", "in", customers.ids), *companies],
                    ["commercial_partner_id"],
                    ["date:max"],
                )
            }
        can_invoice = self.env["account.move"].has_access("read")
        return {
            partner.id: {
                "customs_file_count": files.get(partner.id, 0),
                "last_operation_date": last.get(partner.id) or None,
                "total_invoiced": round(invoiced.get(partner.id, 0.0), 2) if can_invoice else None,
            }
            for partner in customers
        }

    @api.model
    def _cell(self, partner, column):
        """A customer's value for one schema column, as the file shows it."""
        value = partner[column.field]
        if column.kind == schema.PERSON_TYPE:
            return sheet.PERSON_TYPE_LABELS[partner.company_type]
        if column.kind == schema.BOOLEAN:
            return sheet.YES if value else sheet.NO
        if column.kind in (schema.DOCUMENT_TYPE, schema.CATALOG, schema.STATE):
            return value.name or ""
        if column.kind == schema.CITY_CODE:
            return value.hn_ine_code or ""
        if column.kind == schema.HTML:
            return html2plaintext(value, include_references=False) if value else ""
        return value or ""

    @api.model
    def _customer_values(self, partner, stats, states):
        values = {column.key: self._cell(partner, column) for column in schema.CUSTOMER_COLUMNS}
        values["customer_state"] = states[partner.customer_state] if partner.active else self.env._("Inactive")
        values.update(stats[partner.id])
        return values

    @api.model
    def _contact_values(self, partner, contact):
        return [
            partner.vat or "" if column.kind == schema.PARENT else self._cell(contact, column)
            for column in schema.CONTACT_COLUMNS
        ]

    @api.model
    def _contact_summary(self, partner):
        return "\n".join(
            " | ".join(filter(None, [c.name, c.function, c.phone, c.email]))
            + (f" ({sheet.CONTACT_COLUMNS[-1].header})" if c.is_operations_contact else "")
            for c in partner.child_ids
        )

    @api.model
    def _batches(self, customers):
        # Read a thousand customers at a time, and forget them, so that
        # exporting the whole catalog keeps memory bounded.
        for start in range(0, len(customers), READ_BATCH):
            batch = customers[start : start + READ_BATCH]
            yield batch
            batch.invalidate_recordset()
            batch.child_ids.invalidate_recordset()

    def _customer_rows(self, customers, columns):
        states = dict(self.env["res.partner"]._fields["customer_state"]._description_selection(self.env))
        for batch in self._batches(customers):
            stats = self._statistics(batch)
            for partner in batch:
                values = self._customer_values(partner, stats, states)
                if schema.CONTACT_SUMMARY in columns:
                    values["contacts"] = self._contact_summary(partner)
                yield [values[column.key] for column in columns]

    def _contact_rows(self, customers):
        for batch in self._batches(customers):
            for partner in batch:
                for contact in partner.child_ids:
                    yield self._contact_values(partner, contact)

    def _build(self):
        customers = self._customers().with_context(active_test=False)
        if self.export_format == "csv":
            return sheet.build_csv(self._customer_rows(customers, CSV_EXPORT_COLUMNS), CSV_EXPORT_COLUMNS), (
                "clientes.csv"
            )
        if self.export_format == "csv_contacts":
            return sheet.build_csv(self._contact_rows(customers), sheet.CONTACT_COLUMNS), "contactos.csv"
        content = sheet.build_xlsx(
            self._customer_rows(customers, EXPORT_COLUMNS),
            self._contact_rows(customers),
            EXPORT_COLUMNS,
            sheet.CONTACT_COLUMNS,
        )
        return content, "clientes.xlsx"

    def action_export(self):
        self.ensure_one()
        content, filename = self._build()
        self.write({"file": base64.b64encode(content), "filename": filename})
        return sheet.download_action(self._name, self.id, "file", filename)
