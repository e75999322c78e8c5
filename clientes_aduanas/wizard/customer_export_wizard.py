import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.safe_eval import safe_eval

from ..tools import customer_spreadsheet as sheet

EXPORT_COLUMNS = [*sheet.CUSTOMER_COLUMNS, *[(key, header, False) for key, header in sheet.EXPORT_ONLY_COLUMNS]]


class CustomerExportWizard(models.TransientModel):
    _name = "customer.export.wizard"
    _description = "Export Customers"

    export_format = fields.Selection(
        [("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], string="Format", default="xlsx", required=True
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "res.partner" and "partner_ids" in fields_list:
            if context.get("active_domain") is not None and not context.get("export_selected_only"):
                domain = context["active_domain"]
                if isinstance(domain, str):
                    domain = safe_eval(domain)
                partners = self.env["res.partner"].search(domain)
            else:
                partners = self.env["res.partner"].browse(context.get("active_ids") or [])
            res["partner_ids"] = [fields.Command.set(partners.filtered("is_registered_customer").ids)]
        return res

    def _customers(self):
        if not self.env.user.has_group("clientes_aduanas.clientes_aduanas_group_view"):
            raise AccessError(self.env._("Exporting customers needs the View customers permission."))
        customers = self.partner_ids.filtered("is_registered_customer")
        if not customers:
            raise UserError(self.env._("Select at least one registered customer to export."))
        return customers

    @api.model
    def _statistics(self, customers):
        """Expedientes, last operation and invoiced totals: one grouped read
        per figure for the whole export."""
        ids = customers.ids
        files = dict(
            self.env["customs.file"]
            .sudo()
            ._read_group([("commercial_partner_id", "in", ids)], ["commercial_partner_id"], ["__count"])
        )
        last = dict(
            self.env["customs.operation.history"]
            .sudo()
            ._read_group([("commercial_partner_id", "in", ids)], ["commercial_partner_id"], ["date:max"])
        )
        invoiced = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ],
                ["commercial_partner_id"],
                ["amount_total_signed:sum"],
            )
        )
        return {
            partner.id: {
                "customs_file_count": files.get(partner, 0),
                "last_operation_date": last.get(partner) or "",
                "total_invoiced": round(invoiced.get(partner, 0.0), 2),
            }
            for partner in customers
        }

    @api.model
    def _customer_row(self, partner, stats):
        states = dict(partner._fields["customer_state"]._description_selection(self.env))
        values = {
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
            "customer_state": states[partner.customer_state],
            **stats[partner.id],
        }
        return [values[key] for key, _header, _required in EXPORT_COLUMNS]

    @api.model
    def _contact_rows(self, customers):
        rows = []
        for partner in customers:
            for contact in partner.child_ids:
                rows.append(
                    [
                        partner.vat or "",
                        contact.name or "",
                        contact.function or "",
                        contact.phone or "",
                        contact.email or "",
                        sheet.YES if contact.is_operations_contact else sheet.NO,
                    ]
                )
        return rows

    def _build(self):
        customers = self._customers().with_context(active_test=False)
        stats = self._statistics(customers)
        customer_rows = [self._customer_row(partner, stats) for partner in customers]
        if self.export_format == "csv":
            return sheet.build_csv(customer_rows, EXPORT_COLUMNS), "clientes.csv"
        contact_rows = self._contact_rows(customers)
        return sheet.build_xlsx(customer_rows, contact_rows, EXPORT_COLUMNS, sheet.CONTACT_COLUMNS), "clientes.xlsx"

    def action_export(self):
        self.ensure_one()
        content, filename = self._build()
        self.write({"file": base64.b64encode(content), "filename": filename})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{filename}?download=true",
            "target": "self",
        }
