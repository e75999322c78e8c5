from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Registered customer master data (issue: customer master record)
    # ------------------------------------------------------------------
    is_registered_customer = fields.Boolean(
        string="Registered Customer",
        index=True,
        copy=False,
        tracking=True,
        help="Customers governed by this addon: their document, contact data and "
        "status are validated, and they can be used for customs files.",
    )
    customer_state = fields.Selection(
        selection=[("active", "Active"), ("suspended", "Suspended")],
        string="Customer Status",
        default="active",
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="A suspended customer is archived: it disappears from searches and "
        "selection lists and cannot be used for new operations; its history is kept.",
    )
    suspension_reason = fields.Char(string="Suspension Reason", copy=False, tracking=True)
    suspension_date = fields.Datetime(string="Suspended On", copy=False, readonly=True)
    suspended_by_id = fields.Many2one("res.users", string="Suspended By", copy=False, readonly=True)
    customer_category_id = fields.Many2one(
        "res.partner.customer.category",
        string="Customer Category",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    customer_class_id = fields.Many2one(
        "res.partner.customer.class",
        string="Customer Class",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="Whether the customer is a company of our own group or an external one.",
    )
    detraction_required = fields.Boolean(
        string="Requests Detraction",
        tracking=True,
        help="The customer's invoices are subject to the Peruvian SPOT (detracción) system.",
    )
    phone_is_whatsapp = fields.Boolean(string="Phone is WhatsApp")
    notification_emails = fields.Char(
        string="Notification E-mails",
        tracking=True,
        help="Additional e-mail addresses, separated by commas, that receive notifications.",
    )
    notification_whatsapp = fields.Char(
        string="Notification WhatsApp",
        tracking=True,
        help="WhatsApp numbers, separated by commas, stored in international (E.164) format.",
    )
    billing_email = fields.Char(
        string="Billing E-mail",
        tracking=True,
        help="Address that receives the invoices; the main e-mail is used when empty.",
    )
    customer_description = fields.Text(string="Description")
    is_operations_contact = fields.Boolean(
        string="Main Operations Contact",
        help="The contact the customs team calls first; at most one per customer.",
    )
    customs_document_code = fields.Selection(
        related="l10n_latam_identification_type_id.customs_document_code",
        string="Document Rule",
    )

    @api.model
    def _commercial_fields(self):
        # Contacts inherit the commercial entity's classification, like vat.
        return super()._commercial_fields() + [
            "customer_category_id",
            "customer_class_id",
            "detraction_required",
        ]
