from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import convert_file
from odoo.tools.safe_eval import safe_eval

from .common import ClientesAduanasCase, _ruc


@tagged("post_install", "-at_install")
class TestCustomerScreens(ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.active_customer = cls._create_customer(name="Pantalla Activa S.A.C.")
        cls.suspended_customer = cls._create_customer(
            name="Pantalla Suspendida S.A.C.", vat=_ruc("2090100001"), email="susp@example.pe"
        )
        cls.suspended_customer._suspend("Deuda")
        cls.action = cls.env.ref("clientes_aduanas.res_partner_action_customer")

    def _filter_domains(self):
        arch = self.env["res.partner"].get_view(self.action.search_view_id.id, "search")["arch"]
        return {node.get("name"): node.get("domain") for node in etree.fromstring(arch).iter("filter")}

    def _search_with_filter(self, filter_name):
        Partner = self.env["res.partner"].with_context(**safe_eval(self.action.context))
        domain = safe_eval(self.action.domain) + safe_eval(self._filter_domains()[filter_name])
        return Partner.search(domain + [("name", "like", "Pantalla")])

    def test_active_suspended_all_filters(self):
        self.assertEqual(self._search_with_filter("customer_active"), self.active_customer)
        self.assertEqual(self._search_with_filter("customer_suspended"), self.suspended_customer)
        self.assertEqual(self._search_with_filter("customer_all"), self.active_customer | self.suspended_customer)
        # The menu opens on "Activos".
        self.assertEqual(safe_eval(self.action.context).get("search_default_customer_active"), 1)

    def test_category_and_class_filters(self):
        pro = self.env.ref("clientes_aduanas.customer_category_pro")
        group = self.env.ref("clientes_aduanas.customer_class_group")
        external = self.env.ref("clientes_aduanas.customer_class_external")
        self.active_customer.write({"customer_category_id": pro.id, "customer_class_id": group.id})
        self.suspended_customer.write({"customer_class_id": external.id, "active": True})
        self.assertEqual(self._search_with_filter("category_pro"), self.active_customer)
        self.assertFalse(self._search_with_filter("category_normal"))
        self.assertEqual(self._search_with_filter("class_group"), self.active_customer)
        self.assertEqual(self._search_with_filter("class_external"), self.suspended_customer)

    def test_search_filters_and_group_bys_exist(self):
        arch = self.env["res.partner"].get_view(self.action.search_view_id.id, "search")["arch"]
        root = etree.fromstring(arch)
        searched = {node.get("name") for node in root.iter("field")}
        self.assertTrue({"name", "vat", "email", "phone", "customer_category_id", "customer_class_id",
                         "country_id"} <= searched)  # fmt: skip
        group_bys = {safe_eval(node.get("context"))["group_by"] for node in root.iter("filter") if node.get("context")}
        self.assertTrue({"customer_state", "customer_category_id", "customer_class_id", "country_id"} <= group_bys)

    def test_list_columns_of_spec_000(self):
        views = self.env["res.partner"].with_user(self.user_view).get_views([(False, "list"), (False, "kanban")],
                                                                           {"action_id": self.action.id})  # fmt: skip
        arch = self.env["res.partner"].get_view(self.action.view_ids[0].view_id.id, "list")["arch"]
        columns = [node.get("name") for node in etree.fromstring(arch).iter("field")]
        for name in ("vat", "name", "email", "phone", "customer_state", "customer_category_id"):
            self.assertIn(name, columns)
        self.assertTrue(views["views"]["kanban"]["arch"])

    def test_customer_form_layout(self):
        arch = self.env["res.partner"].get_view(self.env.ref("clientes_aduanas.res_partner_view_form_customer").id)[
            "arch"
        ]
        root = etree.fromstring(arch)
        self.assertTrue(root.xpath("//div[@name='button_box']"))
        # Another feature places its lookup button next to the number.
        self.assertTrue(root.xpath("//div[@name='customer_document']/field[@name='vat']"))
        self.assertTrue(root.xpath("//field[@name='customer_state'][@widget='badge']"))
        for name in (
            "l10n_latam_identification_type_id", "company_type", "street", "city", "state_id", "country_id",
            "phone", "phone_is_whatsapp", "mobile", "email", "billing_email", "website", "customer_category_id",
            "customer_class_id", "detraction_required", "notification_emails", "notification_whatsapp",
            "customer_description", "comment", "child_ids",
        ):  # fmt: skip
            with self.subTest(field=name):
                self.assertTrue(root.xpath(f"//field[@name='{name}']"))
        contacts = root.xpath("//field[@name='child_ids']/list")[0]
        self.assertEqual(
            [node.get("name") for node in contacts.iter("field")][:5],
            ["name", "function", "phone", "email", "is_operations_contact"],
        )
        self.assertTrue(root.xpath("//chatter"))

    def test_standard_partner_form_shows_customer_fields(self):
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id)["arch"]
        root = etree.fromstring(arch)
        page = root.xpath("//page[@name='registered_customer']")[0]
        self.assertEqual(page.get("invisible"), "not is_registered_customer")
        for name in ("customer_category_id", "customer_class_id", "detraction_required", "notification_emails",
                     "notification_whatsapp", "billing_email"):  # fmt: skip
            self.assertTrue(page.xpath(f".//field[@name='{name}']"), name)
        self.assertTrue(root.xpath("//button[@name='action_register_customer']"))

    def test_view_only_user_reads_list_and_form(self):
        Partner = self.env["res.partner"].with_user(self.user_view)
        form = Form(Partner.browse(self.active_customer.id), view="clientes_aduanas.res_partner_view_form_customer")
        self.assertEqual(form.name, "Pantalla Activa S.A.C.")
        self.assertEqual(form.customer_state, "active")
        records = Partner.web_search_read(safe_eval(self.action.domain), {"vat": {}, "customer_state": {}})
        self.assertIn(self.active_customer.id, [r["id"] for r in records["records"]])
        with self.assertRaises(AccessError):
            Partner.browse(self.active_customer.id).write({"name": "Cambio"})
        self.assertIn(self.user_view, self.action.groups_id.users)
        self.assertNotIn(self.user_plain, self.action.groups_id.users)

    def test_register_existing_partner(self):
        partner = self.env["res.partner"].create(
            self._pe_vals(vat=_ruc("2090100002"), email="reg@example.pe", is_registered_customer=False)
        )
        action = partner.with_user(self.user_create).action_register_customer()
        self.assertTrue(partner.is_registered_customer)
        self.assertEqual(action["res_id"], partner.id)
        with self.assertRaises(AccessError):
            self.env["res.partner"].create(
                self._pe_vals(vat=_ruc("2090100003"), email="reg2@example.pe", is_registered_customer=False)
            ).with_user(self.user_view).action_register_customer()

    def test_catalog_screens(self):
        Category = self.env["res.partner.customer.category"].with_user(self.user_manager)
        form = Form(Category, view="clientes_aduanas.res_partner_customer_category_view_form")
        form.name = "VIP"
        form.code = "VIP"
        self.assertEqual(form.save().code, "VIP")
        form = Form(
            self.env["res.partner.customer.class"].with_user(self.user_manager),
            view="clientes_aduanas.res_partner_customer_class_view_form",
        )
        form.name = "Aliado"
        form.code = "ALIADO"
        self.assertTrue(form.save().exists())
        with self.assertRaises(AccessError):
            self.env["res.partner.customer.category"].with_user(self.user_edit).create({"name": "X", "code": "X"})

    def test_form_dni_of_registered_ruc_person_warns(self):
        self._create_customer(name="Rosa Quispe", vat=_ruc("1045678912"), email="rq@example.pe")
        form = self._new_customer_form()
        form.l10n_latam_identification_type_id = self.type_dni
        form.vat = "45678912"
        partner = self.env["res.partner"].new(
            {"is_registered_customer": True, "l10n_latam_identification_type_id": self.type_dni.id, "vat": "45678912"}
        )
        warning = partner._onchange_customer_document()["warning"]
        self.assertIn("Rosa Quispe", warning["message"])
        self.assertIn(_ruc("1045678912"), warning["message"])

    def test_form_invalid_number_warns_and_ruc_20_is_a_company(self):
        partner = self.env["res.partner"].new(
            {"is_registered_customer": True, "l10n_latam_identification_type_id": self.type_ruc.id, "vat": "205"}
        )
        self.assertIn("11 digits", partner._onchange_customer_document()["warning"]["message"])
        form = self._new_customer_form()
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = "20 512 345 671"
        self.assertEqual(form.company_type, "company")
        self.assertEqual(form.vat, "20512345671")


@tagged("post_install", "-at_install")
class TestCustomerDemoData(ClientesAduanasCase):
    def test_demo_customers_are_valid(self):
        """Test databases are installed without demo data: load the file here
        (rolled back) so that every demo customer goes through the rules."""
        convert_file(
            self.env, "clientes_aduanas", "demo/res_partner_demo.xml", {}, mode="init", noupdate=False, kind="demo"
        )
        customers = self.env["res.partner"].search(
            [("is_registered_customer", "=", True), ("email", "like", ".example.")]
        )
        countries = set(customers.country_id.mapped("code"))
        self.assertEqual(countries, {"PE", "HN"})
        for customer in customers:
            with self.subTest(customer=customer.name):
                _vals, errors = customer._customer_validate_vals(customer._customer_record_vals())
                self.assertFalse(errors)
        self.assertTrue(customers.child_ids.filtered("is_operations_contact"))
        self.assertGreaterEqual(len(customers.filtered(lambda c: c.country_id.code == "HN")), 2)


@tagged("post_install", "-at_install")
class TestCustomerForm(ClientesAduanasCase):
    def test_form_onchange_normalises_and_infers_person_type(self):
        form = self._new_customer_form()
        form.name = "Persona Natural"
        form.l10n_latam_identification_type_id = self.type_ruc
        form.vat = "10-45678912-4"
        self.assertEqual(form.vat, "10456789124")
        self.assertEqual(form.company_type, "person")
        form.street = "Calle 1"
        form.email = "pn@example.pe"
        form.phone = "+51 999 888 777"
        partner = form.save()
        self.assertEqual(partner.ruc_dni, "45678912")

    def test_form_ruc_of_registered_dni_warns(self):
        self._create_customer(
            name="Juan Pérez",
            l10n_latam_identification_type_id=self.type_dni.id,
            vat="45678912",
            email="jp@example.pe",
        )
        partner = self.env["res.partner"].new(
            {
                "is_registered_customer": True,
                "l10n_latam_identification_type_id": self.type_ruc.id,
                "vat": "10456789124",
            }
        )
        result = partner._onchange_customer_document()
        self.assertIn("Juan Pérez", result["warning"]["message"])

    def test_form_honduras_requires_department(self):
        form = self._new_customer_form()
        form.name = "Sula"
        form.l10n_latam_identification_type_id = self.type_rtn
        form.vat = "05019012345678"
        form.street = "Barrio"
        form.email = "s@example.hn"
        form.phone = "+504 2550 1111"
        form.country_id = self.hn
        with self.assertRaises(AssertionError):
            form.save()  # municipality and department are required in the view for Honduras
        # Honduras picks the municipality from the department's list.
        form.state_id = self.state_cortes
        form.city_id = self.env.ref("clientes_aduanas.city_hn_0501")
        customer = form.save()
        self.assertEqual((customer.state_id.code, customer.city), ("CR", "San Pedro Sula"))

    def test_honduran_departments(self):
        states = self.env["res.country.state"].search([("country_id", "=", self.hn.id)])
        self.assertEqual(
            sorted(states.mapped("code")),
            sorted("AT CH CL CM CP CR EP FM GD IN IB LP LE OC OL SB VA YO".split()),
        )
        self.assertEqual(self.env.ref("base.state_hn_fm").name, "Francisco Morazán")
        # Adopting again creates nothing new.
        self.env["res.country.state"]._ensure_country_states(self.hn.id, [("AT", "Atlántida")])
        self.assertEqual(self.env["res.country.state"].search_count([("country_id", "=", self.hn.id)]), 18)
