from odoo import api, fields, models


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
        last = self.search([], limit=1, order="id desc")
        return last.date or False

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
