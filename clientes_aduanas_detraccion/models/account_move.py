from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context, float_compare, format_date

from ..tools import detraction as spot
from ..tools.detraction import fifth_business_day_of_next_month  # noqa: F401 (imported by tests)

ACCOUNTING = "account.group_account_invoice"


def soles(amount):
    """An amount for a message: 1,416.00."""
    return f"{amount:,.2f}"


class AccountMove(models.Model):
    _inherit = "account.move"

    detraction_applies = fields.Boolean(
        string="Subject to Detraction",
        compute="_compute_detraction",
        store=True,
        groups=ACCOUNTING,
        help="Operation subject to the Peruvian SPOT (Sistema de Pago de Obligaciones Tributarias).",
    )
    detraction_code_id = fields.Many2one(
        "detraction.code", string="SPOT Code", compute="_compute_detraction", store=True, groups=ACCOUNTING
    )
    detraction_rate = fields.Float(digits=(5, 2), compute="_compute_detraction", store=True, groups=ACCOUNTING)
    detraction_currency_id = fields.Many2one(
        "res.currency", compute="_compute_detraction", store=True, groups=ACCOUNTING
    )
    detraction_amount = fields.Monetary(
        currency_field="detraction_currency_id",
        compute="_compute_detraction",
        store=True,
        groups=ACCOUNTING,
        help="Amount the customer deposits in the company's Banco de la Nación account, in whole soles.",
    )
    detraction_net_amount = fields.Monetary(
        string="Net Amount to Pay",
        compute="_compute_detraction",
        store=True,
        groups=ACCOUNTING,
        help="Total minus the detracción, in the invoice's currency: what the customer pays to the company.",
    )
    detraction_reference_value = fields.Monetary(
        string="Reference Value",
        currency_field="detraction_currency_id",
        copy=False,
        tracking=True,
        groups=ACCOUNTING,
        help="Road transport of goods (SPOT code 027): the trip's valor referencial in soles, from the "
        "tables of D.S. 010-2006-MTC (route, vehicle and load). The detracción is computed on the greater "
        "of the invoice total and this value.",
    )
    detraction_uses_reference_value = fields.Boolean(
        compute="_compute_detraction",
        store=True,
        groups=ACCOUNTING,
        help="The invoice's SPOT code is road transport of goods, whose base may be the valor referencial.",
    )
    detraction_note = fields.Char(
        compute="_compute_detraction",
        store=True,
        groups=ACCOUNTING,
        help="Why no detracción applies to an invoice of a customer that requests it.",
    )
    detraction_state = fields.Selection(
        [("pending", "Pending"), ("deposited", "Deposited")],
        compute="_compute_detraction_state",
        store=True,
        index=True,
        groups=ACCOUNTING,
        tracking=True,
    )
    detraction_due_date = fields.Date(
        string="Deposit Deadline",
        compute="_compute_detraction_state",
        store=True,
        groups=ACCOUNTING,
        help="SUNAT's deadline for the deposit: fifth business day of the month after the invoice date, "
        "counted on the company's working calendar and its public holidays (Monday to Friday without one).",
    )
    detraction_deposit_number = fields.Char(
        string="Deposit Certificate", copy=False, readonly=True, tracking=True, groups=ACCOUNTING
    )
    detraction_deposit_date = fields.Date(string="Deposit Date", copy=False, readonly=True, groups=ACCOUNTING)
    detraction_deposit_amount = fields.Monetary(
        string="Deposited Amount",
        currency_field="detraction_currency_id",
        copy=False,
        readonly=True,
        groups=ACCOUNTING,
    )
    detraction_payment_id = fields.Many2one(
        "account.payment", string="Deposit Payment", copy=False, readonly=True, groups=ACCOUNTING
    )

    @api.depends(
        "move_type",
        "invoice_date",
        "date",
        "currency_id",
        "amount_total",
        "amount_total_signed",
        "company_id",
        # The customer's flag and the company's default code are read when
        # the invoice changes, not followed: unticking a customer must not
        # rewrite the detracción of the invoices already issued to it.
        "commercial_partner_id",
        "invoice_line_ids.product_id",
        "invoice_line_ids.display_type",
        "detraction_reference_value",
    )
    def _compute_detraction(self):
        no_detraction = {
            "detraction_applies": False,
            "detraction_code_id": False,
            "detraction_rate": 0.0,
            "detraction_currency_id": self.env.ref("base.PEN").id,
            "detraction_amount": 0.0,
            "detraction_net_amount": 0.0,
            "detraction_uses_reference_value": False,
            "detraction_note": False,
        }
        candidates = self.filtered(lambda m: m.move_type == "out_invoice" and m.company_id.country_code == "PE")
        (self - candidates).update(no_detraction)
        reasons = {
            spot.NO_CODE: self.env._("No line carries a SPOT code and the company has no default code."),
        }
        rates_by_date = {}
        for move in candidates:
            customer = move.commercial_partner_id
            requested = customer.detraction_required and customer.country_id.code == "PE"
            codes = move.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ).product_id.product_tmpl_id.detraction_code_id
            default = (
                move.company_id.detraction_default_code_id if requested and not codes else self.env["detraction.code"]
            )
            date = move._detraction_date()
            all_codes = codes | default
            key = (date, tuple(sorted(all_codes.ids)))
            if key not in rates_by_date:
                rates_by_date[key] = all_codes._rates_on(date)
            rates = rates_by_date[key]
            line_rates = [rates[code]._spot_rate() for code in codes if code in rates]
            default_rate = rates[default]._spot_rate() if default and default in rates else None
            total_pen = spot.to_decimal(move._detraction_total_pen())
            result = spot.compute_detraction(
                total_pen,
                line_rates,
                default_rate=default_rate,
                requested=requested,
                reference_value=spot.to_decimal(move.detraction_reference_value),
            )
            code = result.spot and all_codes.filtered(lambda c, s=result.spot: c.code == s.code)[:1]
            note = False
            if result.reason == spot.BELOW_THRESHOLD:
                threshold = result.spot.threshold or spot.GENERAL_THRESHOLD
                if result.base > total_pen:
                    note = self.env._(
                        "No detraction: the reference value S/ %(base)s is not above the S/ %(threshold)s "
                        "threshold of %(code)s.",
                        base=soles(result.base),
                        threshold=soles(threshold),
                        code=result.spot.code,
                    )
                else:
                    note = self.env._(
                        "No detraction: total S/ %(total)s is not above the S/ %(threshold)s threshold of %(code)s.",
                        total=soles(total_pen),
                        threshold=soles(threshold),
                        code=result.spot.code,
                    )
            elif result.reason:
                note = reasons[result.reason]
            amount = float(result.amount)
            values = dict(
                no_detraction,
                detraction_amount=amount,
                detraction_uses_reference_value=bool(result.spot and result.spot.uses_reference_value),
                detraction_note=note,
            )
            if result.applies:
                values.update(
                    detraction_applies=True,
                    detraction_code_id=code.id,
                    detraction_rate=float(result.spot.rate),
                    detraction_net_amount=move.amount_total - move._detraction_in_invoice_currency(amount),
                )
            move.update(values)

    def write(self, vals):
        if "detraction_reference_value" in vals:
            for move in self.filtered(lambda m: m.state == "posted"):
                if move.detraction_currency_id.compare_amounts(
                    move.detraction_reference_value, vals["detraction_reference_value"] or 0.0
                ):
                    raise UserError(
                        self.env._(
                            "The reference value of posted invoice %(invoice)s cannot change: "
                            "reset it to draft first.",
                            invoice=move.display_name,
                        )
                    )
        return super().write(vals)

    def _compute_partner_bank_id(self):
        # The Banco de la Nación account only receives detracciones (SUNAT
        # does not let it take other money): never propose it to customers
        # as the account to pay the invoice into.
        res = super()._compute_partner_bank_id()
        for move in self:
            detraction_bank = move.company_id.detraction_journal_id.bank_account_id
            if detraction_bank and move.partner_bank_id == detraction_bank:
                others = move.bank_partner_id.bank_ids.filtered(
                    lambda bank, m=move, d=detraction_bank: bank != d
                    and (not bank.company_id or bank.company_id == m.company_id)
                ).sorted(lambda bank: not bank.allow_out_payment)
                move.partner_bank_id = others[:1]
        return res

    def _detraction_date(self):
        """The date the rates and the exchange rate are taken at."""
        self.ensure_one()
        return self.invoice_date or self.date or fields.Date.context_today(self)

    def _detraction_total_pen(self):
        """The total including IGV in soles: the company-currency total when
        the company keeps its books in soles (converted at the invoice's own
        rate), else converted at the invoice date."""
        self.ensure_one()
        pen = self.env.ref("base.PEN")
        if self.company_currency_id == pen:
            return abs(self.amount_total_signed)
        return self.currency_id._convert(self.amount_total, pen, self.company_id, self._detraction_date())

    def _detraction_in_invoice_currency(self, amount_pen):
        self.ensure_one()
        pen = self.env.ref("base.PEN")
        if self.currency_id == pen:
            return amount_pen
        if self.company_currency_id == pen:
            return self.currency_id.round(amount_pen * self.invoice_currency_rate)
        return pen._convert(amount_pen, self.currency_id, self.company_id, self._detraction_date())

    @api.depends("detraction_applies", "state", "invoice_date", "detraction_deposit_number")
    def _compute_detraction_state(self):
        # One calendar computation per company and month, not per invoice.
        deadlines = {}
        for move in self:
            if move.detraction_applies and move.state == "posted":
                move.detraction_state = "deposited" if move.detraction_deposit_number else "pending"
                date = move.invoice_date or move.date
                key = (move.company_id, date.year, date.month)
                if key not in deadlines:
                    deadlines[key] = move.company_id._detraction_deposit_deadline(date)
                move.detraction_due_date = deadlines[key]
            else:
                move.detraction_state = False
                move.detraction_due_date = False

    @api.constrains("detraction_deposit_number", "detraction_deposit_amount", "detraction_amount")
    def _check_detraction_deposit(self):
        for move in self.filtered("detraction_deposit_number"):
            if not move.detraction_applies:
                raise ValidationError(
                    self.env._("Invoice %(invoice)s is not subject to detraction.", invoice=move.display_name)
                )
            if float_compare(
                move.detraction_deposit_amount,
                move.detraction_amount,
                precision_rounding=move.detraction_currency_id.rounding,
            ):
                raise ValidationError(
                    self.env._(
                        "Deposited S/ %(deposited)s does not match the detraction of %(invoice)s (S/ %(expected)s).",
                        deposited=soles(move.detraction_deposit_amount),
                        expected=soles(move.detraction_amount),
                        invoice=move.display_name,
                    )
                )

    def _record_detraction_deposit(self, number, date, amount):
        """Record the deposit certificate (constancia de depósito) of the
        invoice's detracción and settle that part of the invoice with a
        payment in the Banco de la Nación journal. The one way deposits are
        recorded: the wizard and RPC callers come here."""
        self.ensure_one()
        if self.detraction_state == "deposited":
            raise UserError(
                self.env._(
                    "The detraction of invoice %(invoice)s is already deposited (certificate %(number)s).",
                    invoice=self.display_name,
                    number=self.detraction_deposit_number,
                )
            )
        if self.detraction_state != "pending":
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s has no pending detraction: only posted invoices subject to SPOT do.",
                    invoice=self.display_name,
                )
            )
        number = (number or "").strip()
        date = fields.Date.to_date(date)
        if not number or not date:
            raise UserError(self.env._("Enter the certificate number and the deposit date."))
        journal = self.company_id.detraction_journal_id
        if not journal:
            raise UserError(
                self.env._("Set the detraction account (Banco de la Nación) in Settings before recording deposits.")
            )
        self.write(
            {
                "detraction_deposit_number": number,
                "detraction_deposit_date": date,
                "detraction_deposit_amount": amount,
            }
        )
        payment = self._create_detraction_payment(journal, date)
        self.detraction_payment_id = payment
        self.message_post(
            body=self.env._(
                "Detraction deposit recorded: certificate %(number)s of %(date)s, S/ %(amount)s.",
                number=number,
                date=format_date(self.env, date),
                amount=soles(amount),
            )
        )
        return payment

    def _create_detraction_payment(self, journal, date):
        """The deposit is money of the company, on its Banco de la Nación
        account: a customer payment in that journal reconciled with the
        invoice, as Peruvian accountants book it (debit 1071 fondos sujetos
        a restricción, credit 1212 facturas por cobrar)."""
        # A caller's default_* keys (the deposit wizard's default_move_id)
        # must not reach the payment.
        wizard = (
            self.env["account.payment.register"]
            .with_context(clean_context(self.env.context), active_model="account.move", active_ids=self.ids)
            .create(
                {
                    "journal_id": journal.id,
                    "payment_date": date,
                    "amount": self.detraction_amount,
                    "currency_id": self.detraction_currency_id.id,
                    "payment_difference_handling": "open",
                    "communication": self.env._(
                        "Detracción %(invoice)s - constancia %(number)s",
                        invoice=self.name,
                        number=self.detraction_deposit_number,
                    ),
                }
            )
        )
        return wizard._create_payments()

    def action_open_detraction_deposit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Detraction Deposit"),
            "res_model": "detraction.deposit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id, "default_amount": self.detraction_amount},
        }
