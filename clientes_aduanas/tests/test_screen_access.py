from odoo.tests import tagged

from .common import ClientesAduanasCase, ScreenAccessMixin

# Who else opens the screens of these addons: accountants (invoices,
# detracciones), read-only auditors, salespeople (quotations of a customs
# file) and the administrator (WhatsApp account settings).
OTHER_GROUPS = (
    "account.group_account_invoice",
    "account.group_account_readonly",
    "sales_team.group_sale_salesman",
    "base.group_system",
)


@tagged("post_install", "-at_install")
class TestScreenAccess(ScreenAccessMixin, ClientesAduanasCase):
    """Every view and window action of the repository's addons installed
    here (clientes_aduanas and the addons extending it), as each group's
    user gets them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modules = (
            cls.env["ir.module.module"]
            .search([("name", "=like", "clientes_aduanas%"), ("state", "=", "installed")])
            .mapped("name")
        )
        cls.users = cls._screen_users(cls.modules, OTHER_GROUPS)
        # Something for the lists to read.
        cls.customer = cls._create_customer()
        cls.env["customs.file"].create({"partner_id": cls.customer.id, "operation_type": "import"})

    def test_views_validate_without_access_warnings(self):
        self.assertIn("clientes_aduanas", self.modules)
        self.assertViewsValidateQuietly(self.modules)

    def test_actions_load_for_each_group(self):
        self.assertIn("clientes_aduanas.clientes_aduanas_group_view", self.users)
        self.assertActionsLoadForEachUser(self.modules, self.users)
