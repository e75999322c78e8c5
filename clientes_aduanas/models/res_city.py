from odoo import api, fields, models

from ..tools.customer_spreadsheet import fold


class ResCity(models.Model):
    _inherit = "res.city"

    hn_ine_code = fields.Char(
        string="INE code",
        size=4,
        index="btree_not_null",
        help="Geographic code of a Honduran municipality given by the Instituto Nacional de "
        "Estadística: two digits for the department and two for the municipality (0801 Distrito Central).",
    )

    @api.model
    def _customer_city_index(self, country):
        """``{(state_id, folded name): city}`` of ``country``'s cities: how
        a free-text city is matched to the list (accents, case and repeated
        spaces ignored, within its department)."""
        cities = self.search([("country_id", "=", country.id)])
        return {(city.state_id.id, fold(city.name)): city for city in cities}

    @api.model
    def _customer_match_city(self, country, state, name):
        """The city of ``country`` in ``state`` named ``name`` (exact but
        for accents and case), or an empty recordset."""
        if not (country and country.enforce_cities and state and name and name.strip()):
            return self.browse()
        return self.search(
            [("country_id", "=", country.id), ("state_id", "=", state.id), ("name", "=ilike", name.strip())], limit=1
        ) or self._customer_city_index(country).get((state.id, fold(name)), self.browse())

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
        index = self._customer_city_index(country)
        by_city = {}
        for partner in partners:
            city = index.get((partner.state_id.id, fold(partner.city)))
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
