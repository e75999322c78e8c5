from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import NUMBER_1, WhatsappCase, trap_jobs


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
        with trap_jobs() as trap, self.assertRaisesRegex(UserError, "belongs to another customer"):
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
        with trap_jobs() as trap, self.assertRaisesRegex(UserError, "another WhatsApp account"):
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
