import threading

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CustomerDataMixin
from .test_document_lookup import OTHER_RUC, FakeProvider, QuietServer

GROUP = "clientes_aduanas.clientes_aduanas_group_%s"


class CustomerTourCase(CustomerDataMixin, HttpCase):
    """Users in the Spanish UI and customers built for the tours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_customer_data()

    @classmethod
    def _user(cls, login, *permissions, groups=()):
        return new_test_user(
            cls.env,
            login=login,
            groups=",".join(["base.group_user", *(GROUP % p for p in permissions), *groups]),
            lang="es_PE",
        )

    @classmethod
    def _customer(cls, **overrides):
        defaults = {"name": "Tour Vista S.A.C.", "is_company": True, "email": "tour.vista@example.pe"}
        return cls._create_customer(**(defaults | overrides))

    def _registered(self, **domain):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("is_registered_customer", "=", True), *((k, "=", v) for k, v in domain.items())])
        )


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomerPermissionTours(CustomerTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = cls._user("ca_tour_view", "view")
        cls.creator = cls._user("ca_tour_create", "create")
        cls.customer = cls._customer()

    def test_view_only_user_reads_without_edit_buttons(self):
        self.start_tour("/odoo", "clientes_aduanas_customer_view_only", login="ca_tour_view")
        self.assertEqual(self.customer.name, "Tour Vista S.A.C.")

    def test_create_only_user_creates_but_cannot_modify(self):
        self.start_tour("/odoo", "clientes_aduanas_customer_create_only", login="ca_tour_create")
        created = self._registered(vat="45678912")
        self.assertEqual(len(created), 1, "the new customer is saved")
        self.assertEqual(created.create_uid, self.creator)
        self.assertEqual((created.name, created.email), ("Lucía Ramos Torres", "lucia.ramos@example.pe"))
        self.assertEqual(created.l10n_latam_identification_type_id, self.type_dni)
        self.assertEqual(self.customer.write_uid, self.env.ref("base.user_root"), "the existing one is untouched")


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomerEntryTours(CustomerTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = QuietServer(("127.0.0.1", 0), FakeProvider)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.env.ref("clientes_aduanas.lookup_provider_apis_net_pe").copy(
            {
                "name": "Fake SUNAT",
                "active": True,
                "base_url": f"http://127.0.0.1:{cls.server.server_address[1]}/ok",
                "token": "tour-token",
                "connect_timeout": 2,
                "read_timeout": 2,
            }
        )
        cls.clerk = cls._user("ca_tour_clerk", "create", "edit")
        cls.salesman = cls._user("ca_tour_sales", "edit", groups=["sales_team.group_sale_salesman"])
        cls.suspended = cls._customer(name="Tour Suspensión S.A.C.", vat="20131312955", email="suspension@example.pe")

    def test_clerk_creates_peruvian_company_with_lookup_and_duplicate_email(self):
        FakeProvider.hits.clear()
        self.start_tour("/odoo", "clientes_aduanas_customer_create_lookup", login="ca_tour_clerk")
        self.assertEqual(FakeProvider.hits["ok"], 1, "the lupa asked the lookup source once")
        created = self._registered(vat=OTHER_RUC)
        self.assertEqual(len(created), 1)
        self.assertEqual(created.name, "IMPORTACIONES ANDINAS S.A.C.")
        self.assertEqual(created.street, "AV. JAVIER PRADO ESTE NRO. 1234")
        self.assertEqual(created.state_id, self.env.ref("base.state_pe_15"))
        self.assertEqual(created.country_id, self.pe)
        self.assertTrue(created.is_company)
        self.assertEqual(created.email, "compras@andinas.example.pe")
        self.assertFalse(self._registered(vat="45678912"), "the duplicate e-mail customer was not saved")
        self.assertEqual(len(self._registered(email="compras@andinas.example.pe")), 1)

    def test_suspend_filter_refused_in_quotation_and_reactivate(self):
        self.start_tour("/odoo", "clientes_aduanas_customer_suspend", login="ca_tour_sales")
        customer = self.suspended
        self.assertEqual(customer.customer_state, "active", "reactivated at the end of the tour")
        self.assertTrue(customer.active)
        notes = customer.message_ids.mapped("body")
        self.assertTrue(any("Facturas impagas" in (body or "") for body in notes), "the reason is in the chatter")
        self.assertFalse(self.env["sale.order"].search([("partner_id", "=", customer.id)]))
        # The quotation the tour could not make: refused on the server too while suspended.
        customer._suspend("Facturas impagas")
        with self.assertRaises(UserError):
            self.env["sale.order"].with_user(self.salesman).create({"partner_id": customer.id})
