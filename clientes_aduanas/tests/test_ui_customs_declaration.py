from odoo.tests import tagged

from .test_ui_customer import CustomerTourCase


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestCustomsDeclarationTour(CustomerTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.broker = cls._user("ca_tour_broker", "view", "create", "edit")
        customer = cls.env["res.partner"].create(cls._hn_vals(name="Droguería Montaña S.A."))
        cls.file = cls.env["customs.file"].create(
            {
                "partner_id": customer.id,
                "operation_type": "import",
                "customs_office_id": cls.env.ref("clientes_aduanas.customs_office_hn_pco").id,
                "declaration_type": "duca_d",
                "declaration_number": "0801-2026-DUCA-00457",
            }
        )

    def test_broker_fills_declaration_and_sees_taxes(self):
        self.start_tour(
            f"/odoo/action-clientes_aduanas.customs_file_action/{self.file.id}",
            "clientes_aduanas_customs_declaration",
            login="ca_tour_broker",
        )
        self.assertEqual(self.file.selectivity_channel, "red")
        self.assertTrue(self.file.channel_datetime)
        self.assertEqual(self.file.goods_line_ids.tariff_code, "8471.30.00")
        self.assertEqual(self.file.cif_amount, 1000.0)
        # DAI 10 % of 1,000 = 100; ISV 15 % of 1,100 = 165.
        self.assertEqual(self.file.tax_total, 265.0)
