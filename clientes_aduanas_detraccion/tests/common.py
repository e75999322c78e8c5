from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.clientes_aduanas.tests.common import CustomerDataMixin


@tagged("post_install", "-at_install")
class DetractionCase(CustomerDataMixin, AccountTestInvoicingCommon):
    """A Peruvian company keeping its books in soles (with l10n_pe's chart
    when installed, else the generic one), IGV 18 %, customers and products
    with and without SPOT codes."""

    country_code = "PE"

    @classmethod
    def _use_chart_template(cls, company, chart_template_ref=None):
        # l10n_pe's chart when it is installed; the generic one otherwise
        # (guessing from the country asks for l10n_pe and skips without it).
        if not chart_template_ref:
            installed = cls.env["ir.module.module"]._get("l10n_pe").state == "installed"
            chart_template_ref = "pe" if installed else "generic_coa"
        res = super()._use_chart_template(company, chart_template_ref)
        # l10n_pe's chart is large and its rows are new to the planner: without
        # statistics, Odoo's account searches (ordered by code per company)
        # get a nested-loop plan that runs for minutes. ANALYZE sees this
        # transaction's rows.
        cls.env.flush_all()
        cls.env.cr.execute("ANALYZE account_account, account_account_res_company_rel")
        return res

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_customer_data()
        cls.pen = cls.env.ref("base.PEN")
        cls.company = cls.env.company
        cls.company.detraction_account_number = "00-068-123456"
        cls.igv = cls.env["account.tax"].create(
            {"name": "IGV 18 %", "amount": 18, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        Code = cls.env["detraction.code"]
        cls.code_022 = Code.search([("code", "=", "022")])
        cls.code_027 = Code.search([("code", "=", "027")])
        cls.code_019 = Code.search([("code", "=", "019")])
        cls.consulting = cls._create_product(
            name="Consultoría empresarial", taxes_id=[Command.set(cls.igv.ids)], detraction_code_id=cls.code_022.id
        )
        cls.rental = cls._create_product(
            name="Alquiler de montacargas", taxes_id=[Command.set([])], detraction_code_id=cls.code_019.id
        )
        cls.transport = cls._create_product(
            name="Flete terrestre", taxes_id=[Command.set([])], detraction_code_id=cls.code_027.id
        )
        cls.plain = cls._create_product(name="Servicio sin código", taxes_id=[Command.set([])])
        # Registering customers is the customer master's permission, not the
        # accountant's: created as superuser, used as the accountant.
        Partner = cls.env["res.partner"].sudo()
        cls.flagged = Partner.create(cls._pe_vals(detraction_required=True)).sudo(False)
        cls.unflagged = Partner.create(
            cls._pe_vals(name="Comercial Sin Detracción S.A.C.", vat="20100070970", email="sin@detraccion.example.pe")
        ).sudo(False)
        cls.honduran = Partner.create(cls._hn_vals(detraction_required=True)).sudo(False)

    @classmethod
    def _invoice(cls, partner, lines, date="2026-11-10", move_type="out_invoice", currency=None, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": date,
                "currency_id": (currency or cls.pen).id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": price})
                    for product, price in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move
