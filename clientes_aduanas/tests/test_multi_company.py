from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestMultiCompany(ClientesAduanasCase):
    """The company settings that the addon reads are those of the document's
    company, whichever company the user is working in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Agencia B SAC", "country_id": cls.pe.id})
        cls.env["account.chart.template"].try_loading(
            cls.company_a.chart_template or "generic_coa", cls.company_b, install_demo=False
        )
        cls.company_a.write({"sunat_refuse_observed": False, "require_registered_customer": False})
        cls.company_b.write({"sunat_refuse_observed": True, "require_registered_customer": True})
        cls.user = new_test_user(
            cls.env,
            login="ca_two_companies",
            groups="clientes_aduanas.clientes_aduanas_group_manager,sales_team.group_sale_manager,"
            "account.group_account_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        cls.observed = cls._create_customer(
            name="Observada SAC",
            vat="20512345671",
            email="observada@multi.example.pe",
            sunat_taxpayer_state="BAJA DE OFICIO",
            sunat_taxpayer_condition="NO HABIDO",
        )
        cls.plain = cls.env["res.partner"].create({"name": "Cliente sin registrar"})
        cls.product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 10})
        # Working in company A, allowed in both.
        cls.env_a = cls.env(user=cls.user, context=dict(cls.env.context, allowed_company_ids=cls.company_a.ids))
        cls.env_ab = cls.env(
            user=cls.user, context=dict(cls.env.context, allowed_company_ids=(cls.company_a | cls.company_b).ids)
        )

    def _invoice_vals(self, partner, company):
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 10})],
        }

    def test_observed_customer_refused_by_the_documents_company(self):
        self.assertTrue(self.observed.sunat_observed)
        self.assertEqual(self.env_ab.company, self.company_a)
        SaleOrder = self.env_ab["sale.order"]
        # Company A allows it: its quotation is made, from company A.
        order_a = SaleOrder.create({"partner_id": self.observed.id, "company_id": self.company_a.id})
        self.assertEqual(order_a.company_id, self.company_a)
        # Company B refuses it, although the user works in company A.
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            SaleOrder.create({"partner_id": self.observed.id, "company_id": self.company_b.id})
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            self.env_ab["account.move"].create(self._invoice_vals(self.observed, self.company_b))
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            self.env_ab["customs.file"].create({"partner_id": self.observed.id, "company_id": self.company_b.id})
        invoice_a = self.env_ab["account.move"].create(self._invoice_vals(self.observed, self.company_a))
        invoice_a.action_post()
        self.assertEqual(invoice_a.state, "posted")
        file_a = self.env_ab["customs.file"].create({"partner_id": self.observed.id, "company_id": self.company_a.id})
        self.assertEqual(file_a.company_id, self.company_a)

    def test_user_in_refusing_company_makes_documents_of_the_other(self):
        # The reverse: working in B (which refuses), company A's documents
        # follow A's setting.
        env_b = self.env(
            user=self.user,
            context=dict(self.env.context, allowed_company_ids=(self.company_b | self.company_a).ids),
        )
        self.assertEqual(env_b.company, self.company_b)
        order = env_b["sale.order"].create({"partner_id": self.observed.id, "company_id": self.company_a.id})
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        customs_file = env_b["customs.file"].create({"partner_id": self.observed.id, "company_id": self.company_a.id})
        customs_file.write({"state": "in_progress"})
        self.assertEqual(customs_file.state, "in_progress")

    def test_moving_a_file_forward_checks_its_company(self):
        customs_file = self.env_ab["customs.file"].create(
            {"partner_id": self.observed.id, "company_id": self.company_a.id}
        )
        self.company_a.sunat_refuse_observed = True
        with self.assertRaisesRegex(UserError, "does not allow new operations"):
            customs_file.write({"state": "in_progress"})
        self.company_a.sunat_refuse_observed = False
        self.company_b.sunat_refuse_observed = False
        customs_file.write({"state": "in_progress"})
        self.assertEqual(customs_file.state, "in_progress")

    def test_warning_names_the_documents_company_rule(self):
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            order = Form(self.env_ab["sale.order"])
            order.company_id = self.company_b
            order.partner_id = self.observed
        self.assertIn("This company does not allow new operations", "\n".join(logs.output))
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            order = Form(self.env_ab["sale.order"])
            order.partner_id = self.observed
        self.assertNotIn("This company does not allow new operations", "\n".join(logs.output))

    def test_require_registered_customer_of_the_documents_company(self):
        SaleOrder = self.env_ab["sale.order"]
        order_a = SaleOrder.create({"partner_id": self.plain.id, "company_id": self.company_a.id})
        self.assertEqual(order_a.company_id, self.company_a)
        with self.assertRaisesRegex(ValidationError, "only quotes to registered customers"):
            SaleOrder.create({"partner_id": self.plain.id, "company_id": self.company_b.id})
        with self.assertRaisesRegex(ValidationError, "only invoices registered customers"):
            self.env_ab["account.move"].create(self._invoice_vals(self.plain, self.company_b))
        invoice_a = self.env_ab["account.move"].create(self._invoice_vals(self.plain, self.company_a))
        self.assertEqual(invoice_a.company_id, self.company_a)
