"""The SUNAT status of a partner, in a narrow table of its own.

The padrón check writes the status of every Peruvian customer at once. As
columns of res_partner, each of those writes made a new version of the
whole partner row, which PostgreSQL inserts again in every index of the
table (about forty, the search box's trigram indexes among them): most of
a first check of 100,000 customers. Here a new version touches this
table's one index. The partner shows the row through the ``sunat_*``
fields of res_partner_sunat.py, which also holds the one writer of it
(``_sunat_set_status``) besides the padrón check's SQL."""

from odoo import api, fields, models

from ..tools import sunat_status

# res.partner field -> column of this table.
PARTNER_FIELDS = {
    "sunat_taxpayer_state": "taxpayer_state",
    "sunat_taxpayer_condition": "taxpayer_condition",
    "sunat_observed": "observed",
    "sunat_status_date": "status_date",
    "sunat_source": "source",
    "sunat_from_padron": "from_padron",
    "sunat_absent": "absent",
    "sunat_data_differs": "data_differs",
}


class ResPartnerSunatStatus(models.Model):
    _name = "res.partner.sunat.status"
    _description = "SUNAT Status of a Partner"
    _rec_name = "partner_id"
    # Written by the padrón check for every customer at once: no audit
    # columns (and their foreign key to res_users checked on each row); the
    # status date says when, the chatter says who.
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    taxpayer_state = fields.Char(string="SUNAT Status")
    taxpayer_condition = fields.Char(string="SUNAT Address Condition")
    observed = fields.Boolean(string="Observed by SUNAT", compute="_compute_observed", store=True)
    status_date = fields.Datetime(string="SUNAT Status Set On")
    source = fields.Char(string="SUNAT Source")
    from_padron = fields.Boolean(string="From the SUNAT Padrón")
    absent = fields.Boolean(string="Not in the SUNAT Padrón")
    data_differs = fields.Boolean(string="SUNAT Data Differs")

    _sql_constraints = [
        # Also the index of every lookup by partner, and the padrón check's
        # ON CONFLICT target.
        ("partner_unique", "unique(partner_id)", "A partner has one SUNAT status."),
    ]

    @api.depends("taxpayer_state", "taxpayer_condition")
    def _compute_observed(self):
        for status in self:
            status.observed = sunat_status.is_observed(status.taxpayer_state, status.taxpayer_condition)
