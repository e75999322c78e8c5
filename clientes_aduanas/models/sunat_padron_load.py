import logging
import uuid

from odoo import api, fields, models

from ..tools import sunat_padron

_logger = logging.getLogger(__name__)


class SunatPadronLoad(models.Model):
    """One load or refresh of the offline SUNAT padrón (administrator's
    action or daily job) and what its check of the customers found."""

    _name = "sunat.padron.load"
    _description = "SUNAT Padrón Load"
    _order = "id desc"
    _rec_name = "file_name"

    provider_id = fields.Many2one("document.lookup.provider", required=True, ondelete="cascade", readonly=True)
    file_name = fields.Char(string="File", readonly=True)
    user_id = fields.Many2one("res.users", string="Loaded By", readonly=True, default=lambda self: self.env.user)
    date = fields.Datetime(string="Loaded On", required=True, readonly=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("done", "Done"), ("failed", "Interrupted")],
        string="Status",
        default="done",
        required=True,
        readonly=True,
        help="Interrupted: the server or the database stopped during the load; nothing of it was kept and the "
        "previous padrón stayed in use.",
    )
    attempt_token = fields.Char(readonly=True, copy=False, index="btree_not_null")
    rows_read = fields.Integer(readonly=True)
    rows_loaded = fields.Integer(readonly=True)
    report = fields.Text(string="Load Report", readonly=True)
    customers_checked = fields.Integer(readonly=True, help="Registered customers with a RUC compared with this padrón.")
    customers_changed = fields.Integer(
        string="Status Changed", readonly=True, help="Customers whose SUNAT status or address condition changed."
    )
    customers_observed = fields.Integer(
        string="Observed", readonly=True, help="Checked customers that are not ACTIVO or not HABIDO."
    )
    customers_newly_observed = fields.Integer(
        string="Newly Observed", readonly=True, help="Customers that became observed with this load (activity created)."
    )
    customers_absent = fields.Integer(string="Absent from the Padrón", readonly=True)
    customers_differing = fields.Integer(
        string="Master Data to Review",
        readonly=True,
        help="Customers whose name or address differ from the padrón's.",
    )
    absent_examples = fields.Text(string="Absent RUCs (first ones)", readonly=True)

    @api.model
    def _last_check_date(self):
        """Date of the last padrón load, which checked every customer."""
        last = self.search([("state", "=", "done")], limit=1, order="id desc")
        return last.date or False

    # ------------------------------------------------------------------
    # Loads that never ended
    # ------------------------------------------------------------------
    @api.model
    def _begin_attempt(self, provider, label):
        """Record, in a transaction of its own, that a load begins: a load
        cut short by a crash or a database restart leaves nothing else
        behind (its transaction is rolled back). The row is forgotten once
        the load's transaction ends either way; the next load turns the
        rows left over into interrupted loads."""
        token = uuid.uuid4().hex
        with self.env.registry.cursor() as cr:
            sunat_padron.record_attempt(cr, token, provider.id, label, self.env.uid)
        registry = self.env.registry

        def forget():
            try:
                with registry.cursor() as cr:
                    sunat_padron.forget_attempts(cr, [token])
            except Exception:
                _logger.warning("Could not clear the record of padrón load %s", token, exc_info=True)

        self.env.cr.postcommit.add(forget)
        self.env.cr.postrollback.add(forget)
        return token

    @api.model
    def _close_interrupted_attempts(self):
        """Called by a load holding the padrón's lock (so no other load is
        running): the loads begun and never ended are listed as
        interrupted, and the record of every ended one is cleared."""
        rows = sunat_padron.attempts(self.env.cr)
        if not rows:
            return self.browse()
        tokens = [row[0] for row in rows]
        ended = set(self.search([("attempt_token", "in", tokens)]).mapped("attempt_token"))
        providers = self.env["document.lookup.provider"].with_context(active_test=False)
        users = self.env["res.users"].with_context(active_test=False)
        vals_list = []
        for token, started, provider_id, file_name, user_id in rows:
            provider = providers.browse(provider_id).exists()
            if token in ended or not provider:
                continue
            vals_list.append(
                {
                    "provider_id": provider.id,
                    "file_name": file_name,
                    "user_id": users.browse(user_id).exists().id,
                    "date": started,
                    "state": "failed",
                    "attempt_token": token,
                    "report": self.env._(
                        "This load was interrupted (the server or the database stopped before it ended): nothing of "
                        "it was kept and the previous padrón stayed in use. A later load replaces it."
                    ),
                }
            )
        sunat_padron.forget_attempts(self.env.cr, tokens)
        interrupted = self.create(vals_list)
        for load in interrupted:
            _logger.warning("SUNAT padrón load of %s (%s) was interrupted; marked as such.", load.file_name, load.date)
        return interrupted

    def _open_customers(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("clientes_aduanas.res_partner_action_customer")
        action.update({"name": name, "domain": domain, "context": {}, "target": "current"})
        return action

    def action_view_observed(self):
        return self._open_customers(self.env._("Observed by SUNAT"), [("sunat_observed", "=", True)])

    def action_view_absent(self):
        return self._open_customers(self.env._("Not in the SUNAT Padrón"), [("sunat_absent", "=", True)])

    def action_view_differing(self):
        return self._open_customers(self.env._("SUNAT Data to Review"), [("sunat_data_differs", "=", True)])
