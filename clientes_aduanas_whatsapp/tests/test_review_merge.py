from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import NUMBER_1, WhatsappCase, WhatsappHttpCase, trap_sends


@tagged("post_install", "-at_install")
class TestWhatsappReviewMerge(WhatsappCase):
    """Side doors the send wizard and the customer fields opened: the
    wizard's fields are readonly only on screen, an RPC caller sets them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create(cls._hn_vals(name="Exportadora Ajena S.A."))
        cls.other_file = cls.env["customs.file"].create(
            {"partner_id": cls.other_customer.id, "operation_type": "export"}
        )

    def _wizard(self, user, **vals):
        return self.env["whatsapp.send.wizard"].with_user(user).create({"partner_id": self.customer.id, **vals})

    def test_wizard_refuses_another_customers_file(self):
        """The file's portal link (with its access token) never goes to
        another customer's numbers."""
        wizard = self._wizard(
            self.user_edit, customs_file_id=self.other_file.id, template_id=self.account.state_template_id.id
        )
        with trap_sends() as trap, self.assertRaisesRegex(UserError, "belongs to another customer"):
            wizard.action_send()
        trap.assert_jobs_count(0)
        self.assertFalse(self.Message.search([("customs_file_id", "=", self.other_file.id)]))

    def test_wizard_refuses_a_template_of_another_account(self):
        other_company = self.env["res.company"].create({"name": "Agencia Norte"})
        other_account = self.account.copy(
            {
                "name": "Agencia Norte",
                "company_id": other_company.id,
                "token": self.account.token,
                "app_secret": "other-secret",
            }
        )
        other_account.action_sync_templates()
        foreign = other_account.template_ids.filtered(lambda t: t.name == "estado_expediente")
        self.assertTrue(foreign)
        # A user of one company does not see the other company's templates.
        own_templates = self.env["whatsapp.template"].with_user(self.user_edit).search([])
        self.assertEqual(own_templates, self.account.template_ids)
        # A user allowed in both sees them, but cannot send through the
        # wrong account.
        self.user_edit.company_ids |= other_company
        wizard = self._wizard(self.user_edit, template_id=foreign.id, template_params="customer_name")
        with trap_sends() as trap, self.assertRaisesRegex(UserError, "another WhatsApp account"):
            wizard.action_send()
        trap.assert_jobs_count(0)
        self.assertFalse(self.Message.search([("account_id", "=", other_account.id)]))

    def test_opt_out_numbers_hidden_without_view(self):
        """The opt-out field lists numbers of the notification list: the
        same users that cannot read the list cannot read it."""
        self.env["phone.blacklist"]._add([NUMBER_1])
        self.assertEqual(self.customer.with_user(self.user_view).whatsapp_blacklisted, NUMBER_1)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_plain).read(["whatsapp_blacklisted"])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_plain).read(["notification_whatsapp"])


@tagged("post_install", "-at_install")
class TestWhatsappDocumentCompany(WhatsappCase):
    """Each company's WhatsApp settings for its own documents, whichever
    company the user works in (as for the addon's other company settings)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Agencia Norte SAC", "country_id": cls.pe.id})
        cls.env["account.chart.template"].try_loading(
            cls.company_a.chart_template or "generic_coa", cls.company_b, install_demo=False
        )
        cls.account_b = cls.account.copy(
            {"name": "Agencia Norte", "company_id": cls.company_b.id, "token": cls.account.token}
        )
        cls.account_b.action_sync_templates()
        by_name = {t.name: t for t in cls.account_b.template_ids}
        cls.account_b.write(
            {
                "state_template_id": by_name["estado_expediente"].id,
                "notify_invoices": True,
                "invoice_template_id": by_name["factura_emitida"].id,
                "invoice_template_params": "customer_name, invoice_number, invoice_amount",
            }
        )
        cls.user = new_test_user(
            cls.env,
            login="ca_wa_two_companies",
            groups="clientes_aduanas.clientes_aduanas_group_manager,account.group_account_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        cls.env_ab = cls.env(
            user=cls.user, context=dict(cls.env.context, allowed_company_ids=(cls.company_a | cls.company_b).ids)
        )
        cls.product = cls.env["product.product"].create({"name": "Agenciamiento", "list_price": 10})

    def _invoice(self, company):
        return self.env_ab["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "company_id": company.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 10})],
            }
        )

    def test_invoice_setting_of_the_invoices_company(self):
        # Company A, the user's current one, does not notify invoices.
        self.assertEqual(self.env_ab.company, self.company_a)
        self.assertFalse(self.account.notify_invoices)
        invoice_b, invoice_a = self._invoice(self.company_b), self._invoice(self.company_a)
        with trap_sends() as trap:
            (invoice_a | invoice_b).action_post()
            trap.assert_jobs_count(2)
        messages = self.Message.search([("move_id", "in", (invoice_a | invoice_b).ids)])
        self.assertEqual(messages.move_id, invoice_b)
        self.assertEqual(messages.account_id, self.account_b)

    def test_state_change_uses_the_files_company_account(self):
        record = self.env_ab["customs.file"].create(
            {"partner_id": self.customer.id, "operation_type": "import", "company_id": self.company_b.id}
        )
        with trap_sends() as trap:
            record.action_start()
            trap.assert_jobs_count(2)
        self.assertEqual(self._messages(record).account_id, self.account_b)


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestWhatsappReviewHttp(WhatsappHttpCase):
    """A forged header or token with non-ASCII characters is refused like
    any wrong one (403), not answered with a server error."""

    @mute_logger("odoo.addons.clientes_aduanas_whatsapp.controllers.main")
    def test_non_ascii_signature_and_token_refused(self):
        response = self.url_open(
            "/whatsapp/webhook",
            data=b'{"entry": []}',
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=\xe9t\xe9"},
        )
        self.assertEqual(response.status_code, 403)
        response = self.url_open("/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=%C3%A9t%C3%A9&hub.challenge=42")
        self.assertEqual(response.status_code, 403)
