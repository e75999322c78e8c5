"""Who may change a registered customer, the one writer of its state, and
what a suspended customer can no longer do (at the depth where it happens)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from ..hooks import uninstall_hook
from ..models.document_lookup_provider import RATE_TABLE
from ..tools import document_number as dn
from ..tools.sunat_padron import CURRENT, SLOTS, STAGING
from .common import ClientesAduanasCase


def _ruc(body):
    return body + dn.pe_ruc.calc_check_digit(body)


@tagged("post_install", "-at_install")
class TestMasterDataAndContactPermissions(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Contactos S.A.C.", child_ids=[Command.create({"name": "Ana"})])
        cls.contact = cls.customer.child_ids

    def test_unregistering_needs_delete_and_no_operations(self):
        """Reproduction: a user with only Customers: Edit un-registered a
        customer with a quotation, then deleted both."""
        self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_edit).write({"is_registered_customer": False})
        with self.assertRaises(UserError) as ctx:
            self.customer.with_user(self.user_delete).write({"is_registered_customer": False})
        self.assertIn("cannot be deleted because it has 1 quotations", str(ctx.exception))
        self.assertTrue(self.customer.is_registered_customer)

    def test_unregistering_without_operations(self):
        self.customer.with_user(self.user_delete).write({"is_registered_customer": False})
        self.assertFalse(self.customer.is_registered_customer)
        self.assertFalse(self.customer.customer_email_key)

    def test_every_field_is_master_data_but_bookkeeping(self):
        master = {"ref": "X-1", "website": "https://permisos.example.pe", "comment": "nota", "function": "Gerente"}
        for field_name, value in master.items():
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                self.customer.with_user(self.user_create).write({field_name: value})
        self.customer.with_user(self.user_create).write({"customer_rank": 3})
        self.customer.with_user(self.user_create).message_post(body="Nota")
        self.customer.with_user(self.user_edit).write({"ref": "X-1"})
        self.assertEqual(self.customer.ref, "X-1")

    def test_contacts_need_edit(self):
        Partner = self.env["res.partner"]
        for user in (self.user_plain, self.user_create, self.user_view):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Partner.with_user(user).create({"name": "Nuevo", "parent_id": self.customer.id})
                with self.assertRaises(AccessError):
                    self.contact.with_user(user).write({"phone": "+51 1 000"})
                with self.assertRaises(AccessError):
                    self.contact.with_user(user).write({"is_operations_contact": True})
                with self.assertRaises(AccessError):
                    self.contact.with_user(user).unlink()
        outsider = Partner.create({"name": "Externo"})
        with self.assertRaises(AccessError):
            outsider.with_user(self.user_create).write({"parent_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.contact.with_user(self.user_create).write({"parent_id": outsider.id})
        editor = Partner.with_user(self.user_edit)
        new = editor.create({"name": "Nuevo", "parent_id": self.customer.id})
        new.write({"is_operations_contact": True})
        outsider.with_user(self.user_edit).write({"parent_id": self.customer.id})
        new.unlink()
        self.assertEqual(self.customer.child_ids, self.contact | outsider)

    def test_suspension_fields_only_through_suspend(self):
        with self.assertRaises(UserError):
            self.customer.write({"suspension_reason": "Por RPC"})
        with self.assertRaises(UserError):
            self.customer.write({"suspended_by_id": self.env.uid})

    def test_document_change_refused_with_posted_invoices(self):
        product = self.env["product.product"].create({"name": "Servicio", "list_price": 100})
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 100})],
            }
        )
        move.action_post()
        with self.assertRaises(UserError) as ctx:
            self.customer.write({"vat": _ruc("2065000001")})
        self.assertIn("cannot change", str(ctx.exception))
        with self.assertRaises(UserError):
            self.customer.write({"l10n_latam_identification_type_id": self.type_dni.id, "vat": "45678912"})
        self.customer.write({"phone": "+51 1 7778888"})


@tagged("post_install", "-at_install")
class TestCustomerStateWriter(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Estado S.A.C.")
        cls.other = cls._create_customer(name="Otro Estado S.A.C.", vat=_ruc("2066000001"), email="otro@x.pe")

    def test_state_write_goes_through_suspend(self):
        """Reproduction: write customer_state suspended left the customer
        active and findable."""
        with self.assertRaises(UserError) as ctx:
            self.customer.write({"customer_state": "suspended"})
        self.assertIn("Say why", str(ctx.exception))
        self.customer.write({"customer_state": "suspended", "suspension_reason": "Deuda"})
        self.assertEqual((self.customer.customer_state, self.customer.active), ("suspended", False))
        self.assertEqual(self.customer.suspension_reason, "Deuda")
        self.assertFalse(self.env["res.partner"].search([("id", "=", self.customer.id)]))
        self.customer.write({"customer_state": "active"})
        self.assertEqual((self.customer.customer_state, self.customer.active), ("active", True))
        self.assertFalse(self.customer.suspension_reason)

    def test_mass_edit_of_the_state(self):
        customers = self.customer | self.other
        customers.write({"customer_state": "suspended", "suspension_reason": "Cierre"})
        self.assertEqual(customers.mapped("active"), [False, False])
        self.assertEqual(len(customers.message_ids.filtered(lambda m: "Cierre" in (m.body or ""))), 2)
        with self.assertRaises(AccessError):
            customers.with_user(self.user_view).write({"customer_state": "active"})

    def test_archive_and_unarchive(self):
        self.customer.action_archive()
        self.assertEqual(self.customer.customer_state, "suspended")
        self.assertIn("Archived by", self.customer.suspension_reason)
        self.customer.action_unarchive()
        self.assertEqual((self.customer.customer_state, self.customer.active), ("active", True))
        ordinary = self.env["res.partner"].create({"name": "Ordinario"})
        (ordinary | self.other).action_archive()
        self.assertFalse(ordinary.active)
        self.assertEqual(self.other.customer_state, "suspended")

    def test_a_new_customer_starts_active(self):
        with self.assertRaises(UserError):
            self._create_customer(name="Nace", vat=_ruc("2066000002"), email="n@x.pe", customer_state="suspended")


@tagged("post_install", "-at_install")
class TestSuspendedCustomerOperations(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Suspendido S.A.C.")
        cls.product = cls.env["product.product"].create(
            {"name": "Agenciamiento", "type": "service", "invoice_policy": "order", "list_price": 100}
        )

    def _invoice(self, move_type="out_invoice"):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 100})],
            }
        )

    def _order(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )

    def test_draft_quotation_cannot_be_confirmed(self):
        order = self._order()
        self.customer._suspend("Deuda")
        with self.assertRaises(UserError) as ctx:
            order.action_confirm()
        self.assertIn("Suspendido S.A.C. is suspended", str(ctx.exception))
        self.assertIn("Reactivate it", str(ctx.exception))
        order.action_cancel()
        self.assertEqual(order.state, "cancel")

    def test_customs_file_plain_write_and_kanban_drag(self):
        record = self.env["customs.file"].create({"partner_id": self.customer.id, "operation_type": "import"})
        self.customer._suspend("Deuda")
        with self.assertRaises(UserError):
            record.write({"state": "in_progress"})
        with self.assertRaises(UserError):
            record.action_start()
        record.write({"state": "cancelled"})
        self.assertEqual(record.state, "cancelled")

    def test_invoices_new_ones_refused_closing_out_allowed(self):
        posted = self._invoice()
        posted.action_post()
        draft = self._invoice()
        order = self._order()
        order.action_confirm()
        self.customer._suspend("Deuda")
        with self.assertRaises(UserError):
            draft.action_post()
        draft.button_cancel()
        self.assertEqual(draft.state, "cancel")
        refund = posted._reverse_moves()
        refund.action_post()
        self.assertEqual(refund.state, "posted")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")


@tagged("post_install", "-at_install")
class TestConfidentiality(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(
            name="Reservado S.A.C.", notification_emails="ops@x.pe", customer_description="Cliente clave"
        )
        cls.salesman = new_test_user(cls.env, login="ca_conf_sales", groups="sales_team.group_sale_salesman")
        cls.accountant = new_test_user(cls.env, login="ca_conf_acc", groups="account.group_account_invoice")

    def test_customer_fields_need_view(self):
        for field_name in ("notification_emails", "customer_description", "suspension_reason"):
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                self.customer.with_user(self.user_plain).read([field_name])
        self.assertEqual(self.customer.with_user(self.user_view).notification_emails, "ops@x.pe")

    def test_odoo_flows_without_customer_permissions(self):
        with Form(self.env["sale.order"].with_user(self.salesman)) as order_form:
            order_form.partner_id = self.customer
        order_form.record.action_confirm()
        self.assertEqual(order_form.record.state, "sale")
        product = self.env["product.product"].create({"name": "Servicio", "list_price": 10})
        with Form(
            self.env["account.move"].with_user(self.accountant).with_context(default_move_type="out_invoice")
        ) as move_form:
            move_form.partner_id = self.customer
            with move_form.invoice_line_ids.new() as line:
                line.product_id = product
        move_form.record.action_post()
        self.assertEqual(move_form.record.state, "posted")
        partner_form = Form(self.customer.with_user(self.user_plain))
        self.assertEqual(partner_form.name, "Reservado S.A.C.")

    def test_lookup_settings_validated_on_save(self):
        Provider = self.env["document.lookup.provider"]
        base = {"name": "Prueba", "kind": "http_json", "base_url": "http://127.0.0.1:1"}
        for vals, says in (
            ({"ruc_path": "/ruc/{numero}"}, "must be a path"),
            ({"ruc_path": "/ruc/{number"}, "must be a path"),
            ({"ruc_path": "/ruc/{number}", "body_template": '{"ruc": {number}'}, "body template"),
            ({"ruc_mapping": '{"name": 5}'}, "dotted path"),
            ({"ruc_mapping": '{"name": '}, "not valid JSON"),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as ctx:
                Provider.create({**base, **vals})
            self.assertIn(says, str(ctx.exception))

    def test_malformed_saved_settings_reach_the_user_as_a_message(self):
        provider = self.env["document.lookup.provider"].create(
            {
                "name": "Rota",
                "kind": "http_json",
                "base_url": "http://127.0.0.1:1",
                "ruc_path": "/ruc/{number}",
                "ruc_mapping": '{"name": "razonSocial"}',
                "document_type_ids": [Command.set(self.type_ruc.ids)],
                "sequence": 0,
            }
        )
        # Stored by an earlier version that did not check it.
        self.env.cr.execute("UPDATE document_lookup_provider SET ruc_path = '/ruc/{x}' WHERE id = %s", [provider.id])
        provider.invalidate_recordset()
        self.env["document.lookup.provider"].search([("id", "!=", provider.id)]).write({"active": False})
        with self.assertRaises(UserError) as ctx:
            self.env["document.lookup.provider"]._lookup("pe_ruc", "20512345671")
        self.assertIn("malformed", str(ctx.exception))


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
