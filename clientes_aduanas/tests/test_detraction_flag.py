from lxml import etree

from .common import ClientesAduanasCase


class TestDetractionFlag(ClientesAduanasCase):
    """The "Solicita detracción" checkbox is a Peruvian matter (SPOT): the
    customer forms show it for Peruvian customers only."""

    def test_checkbox_only_for_peruvian_customers(self):
        Partner = self.env["res.partner"]
        for view in (
            self.env.ref("clientes_aduanas.res_partner_view_form_customer"),
            self.env.ref("base.view_partner_form"),
        ):
            arch = etree.fromstring(Partner.get_views([(view.id, "form")])["views"]["form"]["arch"])
            nodes = arch.xpath("//field[@name='detraction_required']")
            self.assertTrue(nodes, view.xml_id)
            for node in nodes:
                self.assertEqual(node.get("invisible"), "country_code != 'PE'", view.xml_id)
            self.assertTrue(arch.xpath("//field[@name='country_code']"), "the condition's field is in the view")
