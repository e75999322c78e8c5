from odoo import api, fields, models, tools

from ..tools.customer_spreadsheet import fold
from ..tools.hn_city_alias import alias_key, aliases_by_key


class ResCity(models.Model):
    _inherit = "res.city"

    hn_ine_code = fields.Char(
        string="INE code",
        size=4,
        index="btree_not_null",
        help="Geographic code of a Honduran municipality given by the Instituto Nacional de "
        "Estadística: two digits for the department and two for the municipality (0801 Distrito Central).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _customer_city_ids
        return super().create(vals_list)

    def write(self, vals):
        if {"name", "state_id", "country_id", "hn_ine_code"}.intersection(vals):
            self.env.registry.clear_cache()  # _customer_city_ids
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _customer_city_ids
        return super().unlink()

    @api.model
    @tools.ormcache("country_id")
    def _customer_city_ids(self, country_id):
        """``{(state_id, folded name): city id}`` of a country's cities and of
        the other names a Honduran municipality goes by: how a free-text city
        is matched to the list (accents, case and repeated spaces ignored,
        within its department). Cached: an import matches every row against
        the same few hundred cities, which change once in years."""
        cities = self.sudo().search([("country_id", "=", country_id)])
        index = {(city.state_id.id, fold(city.name)): city.id for city in cities}
        by_code = {city.hn_ine_code: city for city in cities if city.hn_ine_code}
        for key, code in aliases_by_key().items():
            city = by_code.get(code)
            if city:
                # A municipality's own name wins over another one's alias.
                index.setdefault((city.state_id.id, key), city.id)
        return index

    @api.model
    def _customer_city_in_index(self, index, state, name):
        """The city ``name`` designates in ``state`` in ``index``
        (:meth:`_customer_city_ids`): its name or one of its aliases
        (``tools/hn_city_alias.py``), or an empty recordset."""
        return self.browse(index.get((state.id, fold(name))) or index.get((state.id, alias_key(name))))

    @api.model
    def _customer_match_city(self, country, state, name):
        """The city of ``country`` in ``state`` named ``name`` (exact but
        for accents and case) or going by that name ("Tegucigalpa": Distrito
        Central), or an empty recordset."""
        if not (country and country.enforce_cities and state and name and name.strip()):
            return self.browse()
        return self._customer_city_in_index(self._customer_city_ids(country.id), state, name)

    @api.model
    def _customer_match_existing_cities(self):
        """Give the Honduran customers (and their contacts) whose city is free
        text the municipality it names in their department, spelled as the
        list spells it. Written in SQL on purpose: an upgrade must not stop on
        a legacy customer the current rules would refuse.

        :return: ``(number of addresses matched, registered customers left
            for review)``
        """
        country = self.env.ref("base.hn", raise_if_not_found=False)
        if not country:
            return 0, self.env["res.partner"]
        Partner = self.env["res.partner"].with_context(active_test=False)
        partners = Partner.search(
            [
                ("country_id", "=", country.id),
                ("city_id", "=", False),
                ("city", "!=", False),
                "|",
                ("is_registered_customer", "=", True),
                ("parent_id.is_registered_customer", "=", True),
            ]
        )
        index = self._customer_city_ids(country.id)
        by_city = {}
        for partner in partners:
            city = self._customer_city_in_index(index, partner.state_id, partner.city)
            if city:
                by_city.setdefault(city, []).append(partner.id)
        for city, partner_ids in by_city.items():
            self.env.cr.execute(
                "UPDATE res_partner SET city_id = %s, city = %s WHERE id IN %s",
                (city.id, city.name, tuple(partner_ids)),
            )
        Partner.invalidate_model(["city_id", "city"])
        matched = sum(len(ids) for ids in by_city.values())
        return matched, partners.filtered(lambda p: p.is_registered_customer and not p.city_id)
