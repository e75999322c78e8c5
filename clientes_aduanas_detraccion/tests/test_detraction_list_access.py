from lxml import etree

from odoo.tests import tagged

from odoo.addons.clientes_aduanas.tests.common import ScreenAccessMixin, expression_gaps

from .common import DetractionCase

MODULES = ["clientes_aduanas_detraccion"]


@tagged("post_install", "-at_install")
class TestDetractionListAccess(ScreenAccessMixin, DetractionCase):
    """The Detracciones list and the addon's other screens, for accountants
    and for the other readers of invoices (auditors, salespeople), who must
    not get Odoo's "Access Rights Inconsistency" on the detracción fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = cls._screen_users(
            MODULES,
            ("account.group_account_invoice", "account.group_account_readonly", "sales_team.group_sale_salesman"),
        )
        cls.overdue = cls._invoice(cls.flagged, [(cls.consulting, 10_000)], date="2020-01-10")

    def _list_arch(self, user):
        action = self.env.ref("clientes_aduanas_detraccion.account_move_detraction_action")
        view = self.env.ref("clientes_aduanas_detraccion.account_move_view_list_detraction")
        result = self.env["account.move"].with_user(user).get_views([[view.id, "list"]], {"action_id": action.id})
        return result["views"]["list"]["arch"]

    def test_views_validate_without_access_warnings(self):
        self.assertViewsValidateQuietly(MODULES)

    def test_actions_load_for_each_group(self):
        self.assertActionsLoadForEachUser(MODULES, self.users)

    def test_overdue_in_red_for_accountants_only_columns_for_others(self):
        arch = etree.fromstring(self._list_arch(self.users["account.group_account_invoice"]))
        self.assertFalse(arch.get("decoration-danger"), "no row decoration on fields other readers cannot read")
        due = arch.xpath("//field[@name='detraction_due_date']")[0]
        self.assertIn("detraction_due_date < current_date", due.get("decoration-danger"))
        salesman_arch = self._list_arch(self.users["sales_team.group_sale_salesman"])
        self.assertNotIn("detraction_state", salesman_arch)
        self.assertFalse(expression_gaps(salesman_arch))
        self.assertEqual(self.overdue.detraction_state, "pending")
        self.assertLess(self.overdue.detraction_due_date.isoformat(), "2026-01-01")
