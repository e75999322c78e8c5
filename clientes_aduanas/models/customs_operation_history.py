from odoo import fields, models, tools
from odoo.tools import SQL

# Each source gets its own id range so that (kind, res_id) maps to a stable id.
KINDS = {"customs_file": 1, "quotation": 2, "invoice": 3, "payment": 4}


class CustomsOperationHistory(models.Model):
    """Read-only union of a customer's customs files, quotations, invoices
    and payments (spec 004 "Historial de operaciones").

    Security: the view carries company_id and a multi-company record rule
    applies to it; reading it requires the "view customers" permission.
    Rows are summaries (reference, date, state, amount): opening a document
    goes through the document's own model and its own access rules.
    """

    _name = "customs.operation.history"
    _description = "Customer Operations History"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"

    kind = fields.Selection(
        [
            ("customs_file", "Customs File"),
            ("quotation", "Quotation / Sale Order"),
            ("invoice", "Invoice"),
            ("payment", "Payment"),
        ],
        string="Document Type",
        readonly=True,
    )
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Many2oneReference(string="Record", model_field="res_model", readonly=True)
    reference = fields.Char(readonly=True)
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    operation_type = fields.Selection([("import", "Import"), ("export", "Export")], readonly=True)
    file_state = fields.Selection(
        selection=lambda self: self.env["customs.file"]._fields["state"].selection,
        string="File Status",
        readonly=True,
    )
    quotation_state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        string="Quotation Status",
        readonly=True,
    )
    payment_state = fields.Selection(
        [
            ("not_paid", "Not Paid"),
            ("partial", "Partially Paid"),
            ("in_payment", "In Payment"),
            ("paid", "Paid"),
            ("reversed", "Reversed"),
            ("invoicing_legacy", "Invoicing App Legacy"),
            ("draft", "Draft"),
            ("in_process", "In Process"),
            ("canceled", "Cancelled"),
            ("rejected", "Rejected"),
        ],
        string="Payment Status",
        readonly=True,
    )
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT f.id * 10 + %(file)s AS id, 'customs_file' AS kind, 'customs.file' AS res_model, f.id AS res_id,
                   f.name AS reference, f.opening_date AS date, f.partner_id, f.commercial_partner_id,
                   f.company_id, f.operation_type, f.state AS file_state, NULL AS quotation_state,
                   NULL AS payment_state, f.declared_value AS amount, f.currency_id
              FROM customs_file f
            UNION ALL
            SELECT so.id * 10 + %(quotation)s, 'quotation', 'sale.order', so.id, so.name, so.date_order::date,
                   so.partner_id, p.commercial_partner_id, so.company_id, NULL, NULL,
                   CASE so.state WHEN 'sale' THEN 'accepted' WHEN 'cancel' THEN 'rejected' ELSE 'pending' END,
                   NULL, so.amount_total, so.currency_id
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
            UNION ALL
            SELECT m.id * 10 + %(invoice)s, 'invoice', 'account.move', m.id, m.name,
                   COALESCE(m.invoice_date, m.date), m.partner_id, m.commercial_partner_id, m.company_id,
                   NULL, NULL, NULL, m.payment_state,
                   CASE WHEN m.move_type = 'out_refund' THEN -m.amount_total ELSE m.amount_total END, m.currency_id
              FROM account_move m
             WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state != 'cancel'
            UNION ALL
            SELECT pay.id * 10 + %(payment)s, 'payment', 'account.payment', pay.id, pay.name, pay.date,
                   pay.partner_id, p.commercial_partner_id, pay.company_id, NULL, NULL, NULL, pay.state,
                   pay.amount, pay.currency_id
              FROM account_payment pay
              JOIN res_partner p ON p.id = pay.partner_id
             WHERE pay.partner_type = 'customer'
            """,
            file=KINDS["customs_file"],
            quotation=KINDS["quotation"],
            invoice=KINDS["invoice"],
            payment=KINDS["payment"],
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }
