from odoo import fields, models


class ResPartner(models.Model):
    # Split by concern on purpose, as clientes_aduanas does.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    detraction_pending_count = fields.Integer(
        string="Pending Detractions",
        compute="_compute_detraction_pending_count",
        groups="account.group_account_invoice",
    )

    def _compute_detraction_pending_count(self):
        customers = self.commercial_partner_id
        counts = dict(
            self.env["account.move"]._read_group(
                [("commercial_partner_id", "in", customers.ids), ("detraction_state", "=", "pending")],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.detraction_pending_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_pending_detractions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "clientes_aduanas_detraccion.account_move_detraction_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_pending": 1}
        return action
