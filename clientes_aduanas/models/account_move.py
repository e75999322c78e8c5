from odoo import api, models
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    def _auto_init(self):
        res = super()._auto_init()
        # Customer history and counts group invoices by commercial partner.
        create_index(
            self.env.cr,
            "account_move_commercial_partner_move_type_idx",
            self._table,
            ["commercial_partner_id", "move_type"],
        )
        return res

    def _new_customer_operations(self):
        """Customer invoices that are new business: credit notes close out
        existing invoices, and invoices of orders confirmed before a
        suspension bill work already agreed."""
        return self.filtered(
            lambda m: m.move_type in ("out_invoice", "out_receipt") and not m.invoice_line_ids.sale_line_ids
        )

    def _check_customers_usable(self):
        # Each company's settings for its own invoices.
        operations = self._new_customer_operations()
        for company in operations.company_id:
            moves = operations.filtered(lambda m, company=company: m.company_id == company)
            moves.partner_id._check_can_be_used_in_operation(company=company)

    @api.constrains("partner_id", "move_type")
    def _check_partner_usable_for_operations(self):
        self._check_customers_usable()

    @api.constrains("partner_id", "move_type")
    def _check_customs_files_customer(self):
        # A linked invoice given to another customer would show on the first
        # customer's portal.
        self.env["customs.file"]._check_documents_linked_to_files("invoice_ids", self)

    def _post(self, soft=True):
        self._check_customers_usable()
        posted = super()._post(soft=soft)
        invoices = posted.filtered(
            lambda m: m.is_sale_document(include_receipts=True) and m.commercial_partner_id.is_registered_customer
        )
        if invoices:
            invoices.commercial_partner_id._customer_event("invoice_posted", moves=invoices)
        return posted

    # ------------------------------------------------------------------
    # Company setting "require registered customer" (issue 4)
    # ------------------------------------------------------------------
    @api.constrains("partner_id", "move_type", "company_id")
    def _check_registered_customer_required(self):
        # Customer invoices, credit notes and receipts only; vendor bills and
        # journal entries are not concerned. Off by default.
        for move in self.filtered(lambda m: m.is_sale_document(include_receipts=True)):
            move.partner_id._check_registered_customer_required(move.company_id, "invoice")

    # Customer invoices only; the refusal lives in the partner's operation check.
    @api.onchange("partner_id")
    def _onchange_partner_id_sunat_warning(self):
        if not self.is_sale_document(include_receipts=True):
            return None
        return self.partner_id._sunat_operation_warning(company=self.company_id)
