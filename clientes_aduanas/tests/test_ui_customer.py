from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomerScreens(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = new_test_user(
            cls.env,
            login="ca_tour_view",
            groups="base.group_user,clientes_aduanas.clientes_aduanas_group_view",
            lang="es_PE",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Vista S.A.C.",
                "is_company": True,
                "is_registered_customer": True,
                "country_id": cls.env.ref("base.pe").id,
                "l10n_latam_identification_type_id": cls.env["l10n_latam.identification.type"]
                ._get_by_document_code("pe_ruc")
                .id,
                "vat": "20512345671",
                "city": "Lima",
                "state_id": cls.env.ref("base.state_pe_15").id,
                "street": "Av. Arequipa 100",
                "email": "tour.vista@example.pe",
                "phone": "+51 1 4440000",
            }
        )

    def test_view_only_user_reads_without_edit_buttons(self):
        self.start_tour("/odoo", "clientes_aduanas_customer_view_only", login="ca_tour_view")
