from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientesAduanasCase

# Municipalities per department (INE): the 18 departments, 298 in all.
EXPECTED = {
    "AT": ("01", 8),
    "CL": ("02", 10),
    "CM": ("03", 21),
    "CP": ("04", 23),
    "CR": ("05", 12),
    "CH": ("06", 16),
    "EP": ("07", 19),
    "FM": ("08", 28),
    "GD": ("09", 6),
    "IN": ("10", 17),
    "IB": ("11", 4),
    "LP": ("12", 19),
    "LE": ("13", 28),
    "OC": ("14", 16),
    "OL": ("15", 23),
    "SB": ("16", 28),
    "VA": ("17", 9),
    "YO": ("18", 11),
}


class HnCitiesCase(ClientesAduanasCase):
    """Francisco Morazán and its Distrito Central, for the Honduran city tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.City = cls.env["res.city"]
        cls.state_fm = cls.env.ref("base.state_hn_fm")
        cls.distrito_central = cls.env.ref("clientes_aduanas.city_hn_0801")


@tagged("post_install", "-at_install")
class TestHnMunicipalities(HnCitiesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_at = cls.env.ref("base.state_hn_at")
        cls.la_ceiba = cls.env.ref("clientes_aduanas.city_hn_0101")

    def test_count_per_department(self):
        groups = self.City._read_group([("country_id", "=", self.hn.id)], ["state_id"], ["__count"])
        counts = {state.code: count for state, count in groups}
        self.assertEqual(counts, {code: count for code, (_dd, count) in EXPECTED.items()})
        self.assertEqual(sum(counts.values()), 298)

    def test_ine_codes(self):
        cities = self.City.search([("country_id", "=", self.hn.id)])
        for city in cities:
            department, count = EXPECTED[city.state_id.code]
            self.assertRegex(city.hn_ine_code, r"^\d{4}$")
            self.assertEqual(city.hn_ine_code[:2], department, city.name)
            self.assertLessEqual(int(city.hn_ine_code[2:]), count, city.name)
        self.assertEqual(len(set(cities.mapped("hn_ine_code"))), 298)
        # INE's order starts with the departmental capital.
        self.assertEqual(self.la_ceiba.name, "La Ceiba")
        self.assertEqual(self.distrito_central.name, "Distrito Central")
        self.assertEqual(self.env.ref("clientes_aduanas.city_hn_0701").name, "Yuscarán")
        self.assertEqual(self.env.ref("clientes_aduanas.city_hn_0501").name, "San Pedro Sula")
        self.assertTrue(self.hn.enforce_cities)

    def test_typed_city_matched_in_its_department(self):
        customer = self.env["res.partner"].create(
            self._hn_vals(city="  distrito   CENTRAL ", state_id=self.state_fm.id, vat="08019012345678")
        )
        self.assertEqual(customer.city_id, self.distrito_central)
        self.assertEqual(customer.city, "Distrito Central")
        # Accents ignored, in the department only.
        customer.write({"city": "yuscaran", "state_id": self.env.ref("base.state_hn_ep").id})
        self.assertEqual(customer.city_id.hn_ine_code, "0701")
        self.assertEqual(customer.city, "Yuscarán")

    def test_unmatched_city_stays_free_text(self):
        customer = self.env["res.partner"].create(
            self._hn_vals(city="El Zamorano", state_id=self.state_fm.id, vat="08019012345679")
        )
        self.assertFalse(customer.city_id)
        self.assertEqual(customer.city, "El Zamorano")
        # La Ceiba exists, but in Atlántida, not in Francisco Morazán.
        customer.write({"city": "La Ceiba"})
        self.assertFalse(customer.city_id)
        # A new department matches the stored name in it.
        customer.write({"state_id": self.state_at.id})
        self.assertEqual(customer.city_id, self.la_ceiba)

    def test_chosen_city_gives_name_and_department(self):
        customer = self.env["res.partner"].create(
            self._hn_vals(city=False, state_id=False, city_id=self.la_ceiba.id, vat="08019012345670")
        )
        self.assertEqual((customer.city, customer.state_id), ("La Ceiba", self.state_at))

    def test_city_of_another_department_refused(self):
        with self.assertRaisesRegex(ValidationError, "La Ceiba is not a municipality of Francisco Morazán"):
            self.env["res.partner"].create(
                self._hn_vals(city_id=self.la_ceiba.id, state_id=self.state_fm.id, vat="08019012345671")
            )
        customer = self.env["res.partner"].create(self._hn_vals(vat="08019012345672"))
        self.assertEqual(customer.city_id.hn_ine_code, "0501")
        with self.assertRaisesRegex(ValidationError, "is not a municipality of Cortés"):
            customer.write({"city_id": self.distrito_central.id, "state_id": self.state_cortes.id})

    def test_peru_keeps_free_text(self):
        customer = self._create_customer()
        self.assertEqual(customer.city, "Lima")
        self.assertFalse(customer.city_id)

    def test_form_picks_city_from_department(self):
        form = self._new_customer_form()
        form.name = "Ceibeña S.A."
        form.l10n_latam_identification_type_id = self.type_rtn
        form.vat = "01019012345678"
        form.street = "Barrio La Isla"
        form.email = "info@ceibena.example.hn"
        form.phone = "+504 2440 0000"
        form.country_id = self.hn
        form.state_id = self.state_at
        form.city_id = self.la_ceiba
        self.assertEqual(form.city, "La Ceiba")
        customer = form.save()
        self.assertEqual(
            (customer.city_id, customer.city, customer.state_id), (self.la_ceiba, "La Ceiba", self.state_at)
        )

    def test_upgrade_matches_existing_customers(self):
        Partner = self.env["res.partner"]
        exact = Partner.create(
            self._hn_vals(
                vat="08019012345673", state_id=self.state_fm.id, city="El Zamorano", email="dc@muni.example.hn"
            )
        )
        other = Partner.create(
            self._hn_vals(vat="08019012345674", state_id=self.state_at.id, city="Tela", email="tela@muni.example.hn")
        )
        contact = Partner.create({"name": "Bodega", "parent_id": other.id})
        # As an existing database has them: free text, no city.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET city_id = NULL, city = %s WHERE id IN %s",
            ["TELA", (other.id, contact.id)],
        )
        Partner.invalidate_model(["city", "city_id"])
        matched, review = self.env["res.city"]._customer_match_existing_cities()
        self.assertEqual(matched, 2)
        tela = self.env.ref("clientes_aduanas.city_hn_0107")
        self.assertEqual((other.city_id, other.city), (tela, "Tela"))
        self.assertEqual(contact.city_id, tela)
        self.assertIn(exact, review)
        self.assertNotIn(other, review)
        self.assertEqual(exact.city, "El Zamorano")
        # The customers' filter lists them for review.
        action_filter = [("country_id.code", "=", "HN"), ("city_id", "=", False)]
        self.assertIn(exact, Partner.search(action_filter))
