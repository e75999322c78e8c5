from odoo import api, fields, models
from odoo.tools import SQL

# Each source gets its own id range so that (kind, res_id) maps to a stable id.
KINDS = {"customs_file": 1, "quotation": 2, "invoice": 3, "payment": 4}

# Quotation outcome shown in the history (spec 004: aceptadas, rechazadas,
# pendientes), from sale.order's state.
QUOTATION_STATE_SQL = "CASE %s WHEN 'sale' THEN 'accepted' WHEN 'cancel' THEN 'rejected' ELSE 'pending' END"


class CustomsOperationHistory(models.Model):
    """Read-only union of a customer's customs files, quotations, invoices
    and payments (spec 004 "Historial de operaciones"), newest first.

    Access (why a ``_table_query`` and not a database view): the union is
    built for each query from ``_search([])`` of the four source models, run
    as the current user. So a row exists for a user only if that user may
    read the source document: a model the user has no access right on
    contributes no row at all (a salesman without invoicing rights sees no
    invoice amounts), and the source's record rules (multi-company, "own
    documents only" for salesmen, ...) filter the rows inside each branch of
    the union, where PostgreSQL still uses the customer's indexes. On top,
    reading the history requires the "view customers" permission and a
    multi-company rule applies to the union itself. Superuser (sudo) reads
    see every row, like any sudo search.
    """

    _name = "customs.operation.history"
    _description = "Customer Operations History"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"
    # Pending ORM writes on these fields are flushed before the union is read.
    _depends = {
        "customs.file": [
            "name",
            "opening_date",
            "partner_id",
            "commercial_partner_id",
            "company_id",
            "operation_type",
            "state",
            "declared_value",
            "currency_id",
        ],
        "sale.order": ["name", "date_order", "partner_id", "company_id", "state", "amount_total", "currency_id"],
        "account.move": [
            "name",
            "date",
            "invoice_date",
            "partner_id",
            "commercial_partner_id",
            "company_id",
            "move_type",
            "state",
            "payment_state",
            "amount_total",
            "currency_id",
        ],
        "account.payment": [
            "name",
            "date",
            "partner_id",
            "company_id",
            "partner_type",
            "payment_type",
            "state",
            "amount",
            "currency_id",
        ],
        "res.partner": ["commercial_partner_id"],
    }

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
    partner_id = fields.Many2one("res.partner", string="Addressed To", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    operation_type = fields.Selection([("import", "Importation"), ("export", "Exportation")], readonly=True)
    file_state = fields.Selection(selection="_selection_file_state", string="File Status", readonly=True)
    quotation_state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        string="Quotation Status",
        readonly=True,
    )
    payment_state = fields.Selection(
        selection="_selection_payment_state",
        string="Payment Status",
        readonly=True,
        help="Invoices: their payment status. Payments: their own status.",
    )
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    # Labels taken (translated) from the source models, so they always match.
    @api.model
    def _selection_file_state(self):
        return self.env["customs.file"]._fields["state"]._description_selection(self.env)

    @api.model
    def _selection_payment_state(self):
        selection = list(self.env["account.move"]._fields["payment_state"]._description_selection(self.env))
        known = {value for value, _label in selection}
        for value, label in self.env["account.payment"]._fields["state"]._description_selection(self.env):
            if value not in known:
                selection.append((value, label))
        return selection

    # ------------------------------------------------------------------
    # The union, built per query for the current user
    # ------------------------------------------------------------------
    def _source_query(self, kind, domain=()):
        """The rows of one kind of the customer's operations (as res.partner
        defines them) the current user may read (access rights and record
        rules), or None when the user cannot read that model."""
        source = self.env["res.partner"]._customer_operation_source(kind)
        if source is None:
            return None
        Model = self.env[source["model"]].with_context(active_test=False)
        if not Model.has_access("read"):
            return None
        return Model._search([*source["domain"], *domain])

    def _branches(self):
        ident = SQL.identifier
        branches = []

        query = self._source_query("customs_file")
        if query is not None:
            t = query.table
            branches.append(
                query.select(
                    SQL("%s * 10 + %s AS id", ident(t, "id"), KINDS["customs_file"]),
                    SQL("'customs_file' AS kind, 'customs.file' AS res_model"),
                    SQL("%s AS res_id, %s AS reference", ident(t, "id"), ident(t, "name")),
                    SQL("%s AS date", ident(t, "opening_date")),
                    SQL("%s AS partner_id", ident(t, "partner_id")),
                    SQL("%s AS commercial_partner_id", ident(t, "commercial_partner_id")),
                    SQL("%s AS company_id", ident(t, "company_id")),
                    SQL("%s AS operation_type", ident(t, "operation_type")),
                    SQL("%s AS file_state", ident(t, "state")),
                    SQL("NULL AS quotation_state, NULL AS payment_state"),
                    SQL("%s AS amount, %s AS currency_id", ident(t, "declared_value"), ident(t, "currency_id")),
                )
            )

        query = self._source_query("quotation")
        if query is not None:
            t = query.table
            partner = query.join(t, "partner_id", "res_partner", "id", "history_partner")
            branches.append(
                query.select(
                    SQL("%s * 10 + %s", ident(t, "id"), KINDS["quotation"]),
                    SQL("'quotation', 'sale.order'"),
                    ident(t, "id"),
                    ident(t, "name"),
                    SQL("(%s)::date", ident(t, "date_order")),
                    ident(t, "partner_id"),
                    ident(partner, "commercial_partner_id"),
                    ident(t, "company_id"),
                    SQL("NULL, NULL"),
                    SQL(QUOTATION_STATE_SQL, ident(t, "state")),
                    SQL("NULL"),
                    ident(t, "amount_total"),
                    ident(t, "currency_id"),
                )
            )

        # Cancelled invoices were never issued: they stay out of the history.
        query = self._source_query("invoice", [("state", "!=", "cancel")])
        if query is not None:
            t = query.table
            branches.append(
                query.select(
                    SQL("%s * 10 + %s", ident(t, "id"), KINDS["invoice"]),
                    SQL("'invoice', 'account.move'"),
                    ident(t, "id"),
                    ident(t, "name"),
                    SQL("COALESCE(%s, %s)", ident(t, "invoice_date"), ident(t, "date")),
                    ident(t, "partner_id"),
                    ident(t, "commercial_partner_id"),
                    ident(t, "company_id"),
                    SQL("NULL, NULL, NULL"),
                    ident(t, "payment_state"),
                    SQL(
                        "CASE WHEN %s = 'out_refund' THEN -%s ELSE %s END",
                        ident(t, "move_type"),
                        ident(t, "amount_total"),
                        ident(t, "amount_total"),
                    ),
                    ident(t, "currency_id"),
                )
            )

        query = self._source_query("payment")
        if query is not None:
            t = query.table
            partner = query.join(t, "partner_id", "res_partner", "id", "history_partner")
            branches.append(
                query.select(
                    SQL("%s * 10 + %s", ident(t, "id"), KINDS["payment"]),
                    SQL("'payment', 'account.payment'"),
                    ident(t, "id"),
                    ident(t, "name"),
                    ident(t, "date"),
                    ident(t, "partner_id"),
                    ident(partner, "commercial_partner_id"),
                    ident(t, "company_id"),
                    SQL("NULL, NULL, NULL"),
                    ident(t, "state"),
                    # Money sent back to the customer counts negative.
                    SQL(
                        "CASE WHEN %s = 'outbound' THEN -%s ELSE %s END",
                        ident(t, "payment_type"),
                        ident(t, "amount"),
                        ident(t, "amount"),
                    ),
                    ident(t, "currency_id"),
                )
            )
        return branches

    @property
    def _table_query(self):
        branches = self._branches()
        if not branches:
            # No readable source: an empty relation with the right columns.
            return SQL(
                "SELECT 0 AS id, NULL::varchar AS kind, NULL::varchar AS res_model, 0 AS res_id,"
                " NULL::varchar AS reference, NULL::date AS date, NULL::int AS partner_id,"
                " NULL::int AS commercial_partner_id, NULL::int AS company_id, NULL::varchar AS operation_type,"
                " NULL::varchar AS file_state, NULL::varchar AS quotation_state, NULL::varchar AS payment_state,"
                " NULL::numeric AS amount, NULL::int AS currency_id WHERE FALSE"
            )
        return SQL(" UNION ALL ").join(SQL("(%s)", branch) for branch in branches)

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
