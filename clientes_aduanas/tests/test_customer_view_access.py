from lxml import etree

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged

from .common import ClientesAduanasCase

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
