# One concern per file (house rule): res.partner is split on purpose.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    document_lookup_available = fields.Boolean(
        compute="_compute_document_lookup_available",
        string="Lookup Available",
        help="An active lookup source is configured for this document type: the form shows the lupa.",
    )

    @api.depends("l10n_latam_identification_type_id")
    def _compute_document_lookup_available(self):
        types = self.l10n_latam_identification_type_id
        providers = self.env["document.lookup.provider"].sudo().search([("document_type_ids", "in", types.ids)])
        served = providers.document_type_ids
        for partner in self:
            partner.document_lookup_available = partner.l10n_latam_identification_type_id in served
