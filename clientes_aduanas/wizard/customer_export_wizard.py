import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.safe_eval import safe_eval

from ..tools import customer_spreadsheet as sheet

EXPORT_COLUMNS = [*sheet.CUSTOMER_COLUMNS, *[(key, header, False) for key, header in sheet.EXPORT_ONLY_COLUMNS]]
CSV_EXPORT_COLUMNS = [*EXPORT_COLUMNS, (*sheet.CONTACT_SUMMARY_COLUMN, False)]
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
        if not self.env.user.has_group("clientes_aduanas.clientes_aduanas_group_view"):
            raise AccessError(self.env._("Exporting customers needs the View customers permission."))
        customers = self.partner_ids.filtered("is_registered_customer")
        if not customers:
            raise UserError(self.env._("Select at least one registered customer to export."))
        return customers

    @api.model
    def _statistics(self, customers):
        """Expedientes, last operation and invoiced totals of the allowed
        companies: one grouped read per figure for the whole export."""
        ids = customers.ids
        company_ids = self.env.companies.ids
        files = {}
        if "customs.file" in self.env:
            files = dict(
                self.env["customs.file"]
                .sudo()
                ._read_group(
                    [("commercial_partner_id", "in", ids), ("company_id", "in", company_ids)],
                    ["commercial_partner_id"],
                    ["__count"],
                )
            )
        last = {}
        if "customs.operation.history" in self.env:
            last = dict(
                self.env["customs.operation.history"]
                .sudo()
                ._read_group(
                    [("commercial_partner_id", "in", ids), ("company_id", "in", company_ids)],
                    ["commercial_partner_id"],
                    ["date:max"],
                )
            )
        invoiced = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("company_id", "in", company_ids),
                ],
                ["commercial_partner_id"],
                ["amount_total_signed:sum"],
            )
        )
        return {
            partner.id: {
                "customs_file_count": files.get(partner, 0),
                "last_operation_date": last.get(partner) or None,
                "total_invoiced": round(invoiced.get(partner, 0.0), 2),
            }
            for partner in customers
        }

    @api.model
    def _customer_values(self, partner, stats, states):
        return {
            "document_type": partner.l10n_latam_identification_type_id.name or "",
            "vat": partner.vat or "",
            "name": partner.name,
            "company_type": sheet.PERSON_TYPE_LABELS[partner.company_type],
            "street": partner.street or "",
            "city": partner.city or "",
            "state": partner.state_id.name or "",
            "country": partner.country_id.name or "",
            "email": partner.email or "",
            "phone": partner.phone or "",
            "mobile": partner.mobile or "",
            "phone_is_whatsapp": sheet.YES if partner.phone_is_whatsapp else sheet.NO,
            "billing_email": partner.billing_email or "",
            "website": partner.website or "",
            "category": partner.customer_category_id.name or "",
            "customer_class": partner.customer_class_id.name or "",
            "detraction_required": sheet.YES if partner.detraction_required else sheet.NO,
            "notification_emails": partner.notification_emails or "",
            "notification_whatsapp": partner.notification_whatsapp or "",
            "customer_description": partner.customer_description or "",
            "comment": html2plaintext(partner.comment, include_references=False) if partner.comment else "",
            "customer_state": states[partner.customer_state] if partner.active else self.env._("Inactive"),
            **stats[partner.id],
        }

    @api.model
    def _contact_values(self, partner, contact):
        return [
            partner.vat or "",
            contact.name or "",
            contact.function or "",
            contact.phone or "",
            contact.email or "",
            sheet.YES if contact.is_operations_contact else sheet.NO,
        ]

    @api.model
    def _contact_summary(self, partner):
        return "\n".join(
            " | ".join(filter(None, [c.name, c.function, c.phone, c.email]))
            + (f" ({sheet.CONTACT_COLUMNS[-1][1]})" if c.is_operations_contact else "")
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
                if ("contacts", sheet.CONTACT_SUMMARY_COLUMN[1], False) in columns:
                    values["contacts"] = self._contact_summary(partner)
                yield [values[key] for key, _header, _required in columns]

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
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{filename}?download=true",
            "target": "self",
        }
