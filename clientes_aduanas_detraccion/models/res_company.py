from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.detraction import DEPOSIT_BUSINESS_DAYS, fifth_business_day_of_next_month


class ResCompany(models.Model):
    _inherit = "res.company"

    detraction_account_number = fields.Char(
        string="Detraction Account",
        tracking=True,
        help="The company's account at Banco de la Nación where customers deposit the detracciones; "
        "printed on the invoices subject to SPOT.",
    )
    detraction_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', '=', 'bank'), ('company_id', '=', id)]",
        help="Bank journal of the Banco de la Nación account, where recorded deposits are entered. "
        "Created with the account number when empty.",
    )
    detraction_default_code_id = fields.Many2one(
        "detraction.code",
        string="Default SPOT Code",
        default=lambda self: self.env.ref("clientes_aduanas_detraccion.detraction_code_037", raise_if_not_found=False),
        help="Code applied to the invoices of customers that request detracción when no line carries one.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies.filtered("detraction_account_number")._ensure_detraction_journal()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if vals.get("detraction_account_number"):
            self._ensure_detraction_journal()
        return res

    def _ensure_detraction_journal(self):
        """The account number is what accountants know; the bank account at
        Banco de la Nación and the bank journal deposits are entered in
        follow from it, so both exist once the number is set."""
        bank = self.env["res.bank"]._detraction_national_bank()
        for company in self:
            number = company.detraction_account_number
            journal = company.detraction_journal_id
            if journal:
                if journal.bank_acc_number != number:
                    journal.sudo().write({"bank_acc_number": number, "bank_id": bank.id})
                continue
            journal = (
                self.env["account.journal"]
                .sudo()
                .search(
                    [("company_id", "=", company.id), ("type", "=", "bank"), ("bank_acc_number", "=", number)], limit=1
                )
            )
            if not journal:
                journal = (
                    self.env["account.journal"]
                    .sudo()
                    .create(
                        {
                            "name": self.env._("Detracciones Banco de la Nación"),
                            "type": "bank",
                            "code": self._detraction_journal_code(company),
                            "company_id": company.id,
                            "bank_acc_number": number,
                            "bank_id": bank.id,
                        }
                    )
                )
                # The certificate proves the money is on the account: receipts
                # go straight to the bank account, with no outstanding step.
                journal.inbound_payment_method_line_ids.payment_account_id = journal.default_account_id
            company.detraction_journal_id = journal

    def _detraction_deposit_deadline(self, date):
        """SUNAT's deadline for the deposit of the detracción of an invoice of
        ``date``: the fifth business day of the next month. Business days are
        the working days of the company's calendar minus its public holidays
        (its leaves without a resource), as Odoo plans them; a company without
        a calendar (or with one that has no working day) counts Monday to
        Friday."""
        self.ensure_one()
        calendar = self.resource_calendar_id.sudo()
        if not calendar:
            return fifth_business_day_of_next_month(date)
        tz = pytz.timezone(calendar.tz or "America/Lima")
        first = date.replace(day=1) + relativedelta(months=1)
        end = calendar.plan_days(
            DEPOSIT_BUSINESS_DAYS, tz.localize(datetime.combine(first, time.min)), compute_leaves=True
        )
        if not end:
            return fifth_business_day_of_next_month(date)
        return end.astimezone(tz).date()

    def _detraction_journal_code(self, company):
        codes = set(self.env["account.journal"].sudo().search([("company_id", "=", company.id)]).mapped("code"))
        for code in ["DETR", *(f"DET{i}" for i in range(1, 100))]:
            if code not in codes:
                return code
        return "DETX"
