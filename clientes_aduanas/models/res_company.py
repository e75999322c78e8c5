from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    require_registered_customer = fields.Boolean(
        string="Require Registered Customer on Quotations and Invoices",
        help="Quotations and customer invoices can only be made for registered, active customers. "
        "Off by default so that installing the addon on a live database changes nothing.",
    )
    sunat_refuse_observed = fields.Boolean(
        string="Refuse Customers Observed by SUNAT",
        help="Quotations, customer invoices and customs files cannot be made for a customer that SUNAT does not "
        "report as ACTIVO and HABIDO (otherwise a warning is shown). Off by default.",
    )
    sunat_alert_user_id = fields.Many2one(
        "res.users",
        string="SUNAT Alerts For",
        help="Receives the activity when a customer without salesperson becomes observed by SUNAT.",
    )
    customer_document_refuse = fields.Boolean(
        string="Refuse Customs Files Without Required Documents",
        help="A customs file cannot be opened for a customer whose required documents (power of attorney...) "
        "are missing or expired; otherwise a warning is shown. Off by default.",
    )
