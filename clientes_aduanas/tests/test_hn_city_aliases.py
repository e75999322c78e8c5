from odoo.tests import tagged

from ..tools.hn_city_alias import MUNICIPALITY_ALIASES, alias_key
from .test_customer_import import ImportCase
from .test_customer_import_columns import sheet_of
from .test_customer_import_municipality import _hn_row
from .test_hn_municipalities import HnCitiesCase


@tagged("post_install", "-at_install")
class TestHnCityAliases(HnCitiesCase):
    """The names Hondurans write for their municipality ("Tegucigalpa",
    "Comayagüela", "San Pedro") give the municipality of the department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_copan = cls.env.ref("base.state_hn_cp")
        cls.san_pedro_sula = cls.env.ref("clientes_aduanas.city_hn_0501")

    def test_matching_reads_the_cities_once(self):
        """Each row of an import is matched against the same cached index:
        no query per row; a renamed city is matched by its new name."""
        City = self.City
        City._customer_match_city(self.hn, self.state_fm, "Tegucigalpa")
        with self.assertQueryCount(0):
            for name in ("Tegucigalpa", "comayagüela", "Distrito  Central", "Nowhere"):
                City._customer_match_city(self.hn, self.state_fm, name)
        self.assertEqual(City._customer_match_city(self.hn, self.state_fm, "Comayagüela"), self.distrito_central)
        self.distrito_central.name = "Distrito Central Capital"
        self.assertEqual(
            City._customer_match_city(self.hn, self.state_fm, "distrito central capital"), self.distrito_central
        )

    def test_every_alias_names_its_municipality_only(self):
        cities = {city.hn_ine_code: city for city in self.City.search([("country_id", "=", self.hn.id)])}
        for code, aliases in MUNICIPALITY_ALIASES.items():
            city = cities[code]
            own_names = {alias_key(c.name) for c in cities.values() if c.state_id == city.state_id}
            for alias in aliases:
                self.assertNotIn(alias_key(alias), own_names, f"{alias} is a municipality of {city.state_id.name}")
                self.assertEqual(self.City._customer_match_city(self.hn, city.state_id, alias), city, alias)
                # Only in its own department.
                other_state = self.state_copan if city.state_id != self.state_copan else self.state_fm
                self.assertNotEqual(self.City._customer_match_city(self.hn, other_state, alias), city, alias)

    def test_alias_key_ignores_accents_case_and_punctuation(self):
        self.assertEqual(alias_key("  Tegucigalpa,  M.D.C. "), alias_key("TEGUCIGALPA M.D.C."))
        self.assertEqual(alias_key("Comayagüela"), "comayaguela")
        match = self.City._customer_match_city
        self.assertEqual(match(self.hn, self.state_fm, "tegucigalpa, m.d.c."), self.distrito_central)
        self.assertEqual(match(self.hn, self.state_fm, "COMAYAGUELA"), self.distrito_central)

    def test_own_name_wins_over_an_alias(self):
        # San Pedro is a municipality of Copán; in Cortés it means San Pedro Sula.
        match = self.City._customer_match_city
        self.assertEqual(match(self.hn, self.state_copan, "San Pedro"), self.env.ref("clientes_aduanas.city_hn_0420"))
        self.assertEqual(match(self.hn, self.state_cortes, "San Pedro"), self.san_pedro_sula)

    def test_rpc_create_and_write(self):
        customer = self.env["res.partner"].create(
            self._hn_vals(city="Tegucigalpa", state_id=self.state_fm.id, vat="08019012345601")
        )
        self.assertEqual((customer.city_id, customer.city), (self.distrito_central, "Distrito Central"))
        customer.write({"city": "San Pedro", "state_id": self.state_cortes.id})
        self.assertEqual((customer.city_id, customer.city), (self.san_pedro_sula, "San Pedro Sula"))
        # An alias of another department's municipality stays free text.
        customer.write({"city": "Comayagüela", "state_id": self.state_copan.id})
        self.assertFalse(customer.city_id)
        self.assertEqual(customer.city, "Comayagüela")

    def test_form_typed_city(self):
        form = self._new_customer_form()
        # Typed before the country, as one copies an address.
        form.city = "Comayagüela"
        form.name = "Distribuidora Capitalina S.A."
        form.l10n_latam_identification_type_id = self.type_rtn
        form.vat = "08019012345602"
        form.street = "Barrio Belén, 5a avenida"
        form.email = "ventas@capitalina.example.hn"
        form.phone = "+504 2237 0000"
        form.country_id = self.hn
        form.state_id = self.state_fm
        customer = form.save()
        self.assertEqual(
            (customer.city_id, customer.city, customer.state_id),
            (self.distrito_central, "Distrito Central", self.state_fm),
        )

    def test_upgrade_matches_aliases(self):
        customer = self.env["res.partner"].create(
            self._hn_vals(vat="08019012345603", state_id=self.state_fm.id, email="upgrade@capital.example.hn")
        )
        # As an existing database has it: free text, no city.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET city_id = NULL, city = %s WHERE id = %s", ["TEGUCIGALPA, M.D.C.", customer.id]
        )
        customer.invalidate_recordset(["city", "city_id"])
        matched, review = self.City._customer_match_existing_cities()
        self.assertEqual(matched, 1)
        self.assertNotIn(customer, review)
        self.assertEqual((customer.city_id, customer.city), (self.distrito_central, "Distrito Central"))


@tagged("post_install", "-at_install")
class TestHnCityAliasesImport(ImportCase):
    """The addon's import matches the same names."""

    def _import_row(self, email, vat, city, department):
        wizard = self._wizard(sheet_of(_hn_row(email, vat, Ciudad=city, Departamento=department)))
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual(wizard.result_created, 1, wizard.preview_html)
        return self._by_email(email)

    def test_import_typed_alias(self):
        customer = self._import_row("capital@muni.example.hn", "08019012340011", "Tegucigalpa", "Francisco Morazán")
        self.assertEqual(customer.city_id, self.env.ref("clientes_aduanas.city_hn_0801"))
        self.assertEqual(customer.city, "Distrito Central")

    def test_import_same_name_in_two_departments(self):
        sula = self._import_row("sula@muni.example.hn", "05019012340012", "San Pedro", "Cortés")
        self.assertEqual((sula.city_id.hn_ine_code, sula.city), ("0501", "San Pedro Sula"))
        copan = self._import_row("copan@muni.example.hn", "04019012340013", "San Pedro", "Copán")
        self.assertEqual((copan.city_id.hn_ine_code, copan.city), ("0420", "San Pedro"))
