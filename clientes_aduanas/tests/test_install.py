from odoo.tests import tagged
from odoo.tools import SQL, convert_file

from ..hooks import uninstall_hook
from ..models.document_lookup_provider import RATE_TABLE
from ..tools.sunat_padron import CURRENT, SLOTS, STAGING
from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestInstall(ClientesAduanasCase):
    def test_module_installed_with_python_dependencies(self):
        module = self.env["ir.module.module"].search([("name", "=", "clientes_aduanas")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.latest_version.startswith("18.0."))

    def test_document_types_are_tagged_once(self):
        for code in ("pe_ruc", "pe_dni", "hn_rtn", "hn_identity", "passport", "foreign_id"):
            types = self.IdType.search([("customs_document_code", "=", code)])
            self.assertEqual(len(types), 1, code)
        self.assertEqual(self.type_ruc.country_id, self.pe)
        self.assertTrue(self.type_ruc.is_vat)
        self.assertEqual(self.type_rtn.country_id, self.hn)

    def test_seeded_catalogs(self):
        self.assertEqual(
            set(self.env["res.partner.customer.category"].search([]).mapped("code")) >= {"PRO", "NORMAL"},
            True,
        )
        self.assertIn("EXTERNO", self.env["res.partner.customer.class"].search([]).mapped("code"))

    def test_customer_views_load(self):
        Partner = self.env["res.partner"].with_user(self.user_view)
        action = self.env.ref("clientes_aduanas.res_partner_action_customer")
        views = Partner.get_views(
            [(v.view_id.id, v.view_mode) for v in action.view_ids] + [(False, "form"), (False, "search")]
        )
        self.assertIn("customer_state", views["views"]["list"]["arch"])

    def test_menu_visible_only_with_view_permission(self):
        root = self.env.ref("clientes_aduanas.clientes_aduanas_menu_root")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(root.id, Menu.with_user(self.user_view)._visible_menu_ids())
        self.assertIn(root.id, Menu.with_user(self.user_manager)._visible_menu_ids())
        self.assertNotIn(root.id, Menu.with_user(self.user_plain)._visible_menu_ids())
        config = self.env.ref("clientes_aduanas.clientes_aduanas_menu_config")
        self.assertNotIn(config.id, Menu.with_user(self.user_view)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestDemoData(ClientesAduanasCase):
    def test_demo_files_load_and_are_valid(self):
        """The test database has no demo data: load the addon's demo files
        here (rolled back) so that they keep passing every customer rule."""
        for path in ("demo/res_partner_demo.xml", "demo/customs_file_demo.xml"):
            convert_file(self.env, "clientes_aduanas", path, {}, mode="init", noupdate=False, kind="demo")
        andinas = self.env.ref("clientes_aduanas.partner_demo_andinas")
        self.assertTrue(andinas.is_registered_customer)
        self.assertEqual(andinas.child_ids.filtered("is_operations_contact").name, "Rosa Huamán Quispe")
        self.assertEqual(self.env.ref("clientes_aduanas.partner_demo_caribe").state_id.code, "CR")
        self.assertEqual(andinas.customs_file_count, 2)
        self.assertTrue(self.env.ref("clientes_aduanas.customs_file_demo_caribe_export").name.startswith("EXP/"))


@tagged("post_install", "-at_install")
class TestUninstallHook(ClientesAduanasCase):
    def _exists(self, name):
        self.env.cr.execute("SELECT to_regclass(%s)", [name])
        return self.env.cr.fetchone()[0] is not None

    def test_hook_keeps_document_types_and_drops_our_tables(self):
        IdType = self.env["l10n_latam.identification.type"]
        customer = self._hn_vals()
        customer = self.env["res.partner"].create(customer)
        owned = self.env["ir.model.data"].search([("module", "=", "clientes_aduanas"), ("model", "=", IdType._name)])
        self.assertTrue(owned, "the addon creates the Honduran types")
        type_ids = owned.mapped("res_id")
        self.assertTrue(self._exists("res_partner_lower_email_idx"))
        ours = (*SLOTS.values(), CURRENT, STAGING, RATE_TABLE)
        for table in ours:
            self.env.cr.execute(SQL("CREATE TABLE IF NOT EXISTS %s (key varchar)", SQL.identifier(table)))
        with self.env.cr.savepoint():
            uninstall_hook(self.env)
            self.assertFalse(
                self.env["ir.model.data"].search([("module", "=", "clientes_aduanas"), ("model", "=", IdType._name)])
            )
            self.assertEqual(IdType.browse(type_ids).exists().ids, type_ids)
            self.assertEqual(customer.l10n_latam_identification_type_id, self.type_rtn)
            for name in (
                *ours,
                "res_partner_lower_email_idx",
                "res_partner_email_normalized_idx",
            ):
                self.assertFalse(self._exists(name), name)
            # Odoo keeps working on the partners it knows.
            self.env["res.partner"].search([("email", "=ilike", "ventas@sula.example.hn")])
