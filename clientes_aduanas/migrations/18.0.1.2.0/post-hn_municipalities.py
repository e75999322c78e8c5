"""Honduran customers of an existing database typed their city as free text.
Where the text is exactly a municipality of the customer's department, or
one of the other names it goes by (tools/hn_city_alias.py: "Tegucigalpa"),
accents and case ignored, it becomes that municipality; every other one is
left as it is, named in the server log and found with the customers'
filter *Municipio por revisar*."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    matched, unmatched = env["res.city"]._customer_match_existing_cities()
    _logger.info("Honduran municipalities: %s customer addresses matched to their municipality.", matched)
    for partner in unmatched:
        _logger.warning(
            "Customer %s (id %s): city %r is not a municipality of %s; pick it on the customer "
            "(filter 'Municipio por revisar').",
            partner.display_name,
            partner.id,
            partner.city,
            partner.state_id.name or "its department",
        )
