from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.osv import expression


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._detraction_recompute_deadlines(leaves._detraction_pending_moves())
        return leaves

    def write(self, vals):
        moves = self._detraction_pending_moves()
        res = super().write(vals)
        self._detraction_recompute_deadlines(moves | self._detraction_pending_moves())
        return res

    def unlink(self):
        moves = self._detraction_pending_moves()
        res = super().unlink()
        self._detraction_recompute_deadlines(moves)
        return res

    def _detraction_pending_moves(self):
        """Pending detracciones whose deposit window a public holiday (a
        leave without resource) falls in: those invoiced the month before,
        in the companies that work with its calendar (any, for a leave
        without calendar)."""
        Move = self.env["account.move"].sudo()
        domains = []
        for leave in self.filtered(lambda leave: not leave.resource_id and leave.date_from and leave.date_to):
            first = leave.date_from.date().replace(day=1) - relativedelta(months=1)
            last = leave.date_to.date().replace(day=1) - relativedelta(days=1)
            domain = [("invoice_date", ">=", first), ("invoice_date", "<=", last)]
            if leave.calendar_id:
                domain.append(("company_id.resource_calendar_id", "=", leave.calendar_id.id))
            if leave.company_id:
                domain.append(("company_id", "=", leave.company_id.id))
            domains.append(domain)
        if not domains:
            return Move
        return Move.search(expression.AND([[("detraction_state", "=", "pending")], expression.OR(domains)]))

    def _detraction_recompute_deadlines(self, moves):
        if moves:
            self.env.add_to_compute(moves._fields["detraction_due_date"], moves)
