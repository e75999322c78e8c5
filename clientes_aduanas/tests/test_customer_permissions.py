"""The four customer permissions (view / create / edit / delete): who may
register, edit, suspend or delete a customer and its contacts, the
confidential fields, and the screens each user is offered."""

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ClientesAduanasCase, _ruc

VIEWS = {
    "list": "clientes_aduanas.res_partner_view_list_customer",
    "kanban": "clientes_aduanas.res_partner_view_kanban_customer",
    "form": "clientes_aduanas.res_partner_view_form_customer",
}


@tagged("post_install", "-at_install")
class TestCustomerViewAccess(ClientesAduanasCase):
    """What the web client is offered: the screens follow the permissions."""

    def _arch(self, user, view_type):
        view = self.env.ref(VIEWS[view_type])
        arch = self.env["res.partner"].with_user(user).get_views([(view.id, view_type)])["views"][view_type]["arch"]
        return etree.fromstring(arch)

    def _denied(self, user, view_type):
        root = self._arch(user, view_type)
        return {attr for attr in ("create", "edit", "delete") if root.get(attr) == "0"}

    def test_buttons_follow_the_permissions(self):
        for view_type in ("list", "kanban", "form"):
            with self.subTest(view_type=view_type):
                self.assertEqual(self._denied(self.user_view, view_type), {"create", "edit", "delete"})
                self.assertEqual(self._denied(self.user_edit, view_type), {"create", "delete"}, "no New")
                self.assertEqual(self._denied(self.user_delete, view_type), {"create", "edit"})
                self.assertEqual(self._denied(self.user_manager, view_type), set())
        self.assertEqual(self._denied(self.user_create, "list"), {"edit", "delete"})

    def test_create_without_edit_saves_new_customers_only(self):
        # A form with edit="0" has no save button for a new record: the form
        # stays editable and every field is read-only once the record exists.
        form = self._arch(self.user_create, "form")
        self.assertNotEqual(form.get("edit"), "0")
        self.assertEqual(form.get("delete"), "0")
        for field in form.xpath("//field[not(ancestor::field)]"):
            readonly = field.get("readonly", "")
            # "True": the hidden copy Odoo adds of a field with groups used in a condition.
            self.assertTrue(readonly in ("1", "True") or "id" in readonly, field.get("name"))
        # Read-only by the model: read-only on a new customer too (a field
        # made "readonly once saved" was editable before the first save).
        for name in ("sunat_taxpayer_state", "sunat_source", "ruc_dni"):
            node = form.xpath(f"//field[@name='{name}'][not(ancestor::field)]")[0]
            self.assertEqual(node.get("readonly"), "1", name)
        self.assertEqual(form.xpath("//field[@name='email']")[0].get("readonly"), "id")
        readonly_for_editor = self._arch(self.user_edit, "form").xpath("//field[@name='email']")[0].get("readonly")
        self.assertFalse(readonly_for_editor)

    def test_name_and_document_keep_their_own_widgets(self):
        # partner_autocomplete would make them searches of Odoo's IAP directory.
        form = self._arch(self.user_manager, "form")
        self.assertFalse(form.xpath("//field[@widget='field_partner_autocomplete']"))
        name = form.xpath("//field[@name='name'][not(ancestor::field)]")[0]
        self.assertEqual(name.get("widget"), "text", "a long razón social wraps in the title")
        odoo_form = etree.fromstring(self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"])
        self.assertTrue(
            odoo_form.xpath("//field[@widget='field_partner_autocomplete']"), "Odoo's own form is untouched"
        )

    def test_lupa_only_where_a_source_serves_the_type(self):
        Partner = self.env["res.partner"]
        self.env["document.lookup.provider"].search([]).active = False
        ruc, rtn = (
            Partner.new({"l10n_latam_identification_type_id": self.type_ruc.id}),
            Partner.new({"l10n_latam_identification_type_id": self.type_rtn.id}),
        )
        self.assertFalse(ruc.document_lookup_available)
        self.env.ref("clientes_aduanas.lookup_provider_apis_net_pe").active = True
        ruc.invalidate_recordset(["document_lookup_available"])
        self.assertTrue(ruc.document_lookup_available)
        self.assertFalse(rtn.document_lookup_available, "no RTN source: no lupa next to an RTN")
        form = Form(Partner.with_user(self.user_manager), view=VIEWS["form"])
        form.l10n_latam_identification_type_id = self.type_rtn
        self.assertFalse(form.document_lookup_available)
        form.l10n_latam_identification_type_id = self.type_ruc
        self.assertTrue(form.document_lookup_available)


@tagged("post_install", "-at_install")
class TestCustomsFileFormWithoutSales(ClientesAduanasCase):
    def test_customs_agent_opens_a_file_with_a_quotation_and_an_invoice(self):
        agent = new_test_user(
            self.env,
            login="ca_agent",
            groups="clientes_aduanas.clientes_aduanas_group_view,clientes_aduanas.clientes_aduanas_group_edit",
        )
        customer = self._create_customer()
        product = self.env["product.product"].create({"name": "Agenciamiento"})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 10, "tax_ids": []})],
            }
        )
        file = self.env["customs.file"].create(
            {
                "partner_id": customer.id,
                "operation_type": "import",
                "sale_order_ids": [Command.set(order.ids)],
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        # Reads what the web client reads for this user (fields of the form as he gets it).
        form = Form(file.with_user(agent), view="clientes_aduanas.customs_file_view_form")
        self.assertEqual(form.partner_id, customer)
        self.assertNotIn("sale_order_ids", form._view["fields"])
        self.assertNotIn("invoice_count", form._view["fields"])
        form.declaration_number = "118-2026-10-000001"
        form.save()
        self.assertEqual(file.sale_order_ids, order, "links the agent cannot see are kept")


@tagged("post_install", "-at_install")
class TestCustomerPermissions(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer(name="Permisos S.A.C.")

    def test_view_only(self):
        Partner = self.env["res.partner"].with_user(self.user_view)
        self.assertEqual(Partner.browse(self.customer.id).name, "Permisos S.A.C.")
        self.assertIn(self.customer, Partner.search([("is_registered_customer", "=", True)]))
        with self.assertRaises(AccessError):
            Partner.create(self._pe_vals(vat=_ruc("2090000001"), email="v@example.pe"))
        with self.assertRaises(AccessError):
            Partner.browse(self.customer.id).write({"phone": "+51 1 999"})
        with self.assertRaises(AccessError):
            Partner.browse(self.customer.id).unlink()

    def test_create_permission(self):
        Partner = self.env["res.partner"].with_user(self.user_create)
        created = Partner.create(self._pe_vals(vat=_ruc("2090000002"), email="c@example.pe"))
        self.assertTrue(created.is_registered_customer)
        with self.assertRaises(AccessError):
            created.write({"phone": "+51 1 999"})
        # Registering an existing partner is creating a customer.
        ordinary = self.env["res.partner"].create(
            self._pe_vals(vat=_ruc("2090000003"), email="o@example.pe", is_registered_customer=False)
        )
        ordinary.with_user(self.user_create).action_register_customer()
        self.assertTrue(ordinary.is_registered_customer)
        with self.assertRaises(AccessError):
            ordinary.with_user(self.user_edit).copy().write({"is_registered_customer": True})

    def test_edit_permission(self):
        customer = self.customer.with_user(self.user_edit)
        customer.write({"phone": "+51 1 999"})
        self.assertEqual(customer.phone, "+51 1 999")
        customer._suspend("Prueba")
        self.assertEqual(self.customer.customer_state, "suspended")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_edit).create(
                self._pe_vals(vat=_ruc("2090000004"), email="e@example.pe")
            )
        with self.assertRaises(AccessError):
            customer.unlink()

    def test_delete_permission(self):
        customer = self._create_customer(vat=_ruc("2090000005"), email="d@example.pe")
        with self.assertRaises(AccessError):
            customer.with_user(self.user_edit).unlink()
        customer.with_user(self.user_delete).unlink()
        self.assertFalse(customer.exists())

    def test_odoo_bookkeeping_writes_need_no_permission(self):
        # Odoo's automatic writes (ranks, commercial fields) go through for a
        # contact manager without our "edit" permission; master data does not.
        user = new_test_user(self.env, login="ca_contacts", groups="base.group_user,base.group_partner_manager")
        self.customer.with_user(user).write({"customer_rank": 5})
        self.assertEqual(self.customer.customer_rank, 5)
        with self.assertRaises(AccessError):
            self.customer.with_user(user).write({"email": "new@example.pe"})


@tagged("post_install", "-at_install")
class TestCreateOnlyUserForm(ClientesAduanasCase):
    def test_create_only_user_saves_company_from_the_form(self):
        """The form writes the person type again right after create; a user
        with only the Create permission must still be able to save."""
        form = self._new_customer_form(self.user_create)
        form.company_type = "company"
        form.name = "Solo Crear S.A.C."
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = "20603456786"
        form.street = "Av. Crear 1"
        form.email = "crear@example.pe"
        form.phone = "+51 1 2223333"
        partner = form.save()
        self.assertTrue(partner.is_company)
        partner.with_user(self.user_create).write({"is_company": True, "name": "Solo Crear S.A.C."})
        with self.assertRaises(AccessError):
            partner.with_user(self.user_create).write({"name": "Otro nombre"})


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
