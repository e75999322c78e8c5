"""Documents a broker keeps for each customer (power of attorney / mandato
aduanero, RTN certificate, ficha RUC...) with their expiry: an activity for
the customer's responsible before they expire, and a check when a customs
file is opened for a customer whose required documents are missing or
expired (a warning, or a refusal when the company says so)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import VIEW_GROUP

# Days before the expiry the customer's responsible is warned.
EXPIRY_NOTICE_DAYS = 30


class ResPartnerCustomerDocumentType(models.Model):
    _name = "res.partner.customer.document.type"
    _description = "Customer Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    country_id = fields.Many2one("res.country", help="Only customers of this country need it; empty: all.")
    required_for_operations = fields.Boolean(
        string="Required for Customs Files",
        help="Opening a customs file for a customer without this document in force warns, or is refused "
        "when the company says so.",
    )
    active = fields.Boolean(default=True)


class ResPartnerCustomerDocument(models.Model):
    _name = "res.partner.customer.document"
    _description = "Customer Document"
    _order = "expiry_date, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_registered_customer', '=', True)]",
    )
    document_type_id = fields.Many2one("res.partner.customer.document.type", required=True, ondelete="restrict")
    number = fields.Char()
    issue_date = fields.Date()
    expiry_date = fields.Date(index=True, help="Empty when the document does not expire.")
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    expiry_notified = fields.Boolean(
        copy=False, help="The expiry activity was created; a new expiry date sets it back."
    )
    state = fields.Selection(
        [("valid", "In Force"), ("expiring", "Expiring"), ("expired", "Expired")],
        compute="_compute_state",
    )

    @api.depends("expiry_date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for document in self:
            if document.expiry_date and document.expiry_date < today:
                document.state = "expired"
            elif document.expiry_date and document.expiry_date <= today + timedelta(days=EXPIRY_NOTICE_DAYS):
                document.state = "expiring"
            else:
                document.state = "valid"

    @api.constrains("issue_date", "expiry_date")
    def _check_dates(self):
        for document in self:
            if document.issue_date and document.expiry_date and document.expiry_date < document.issue_date:
                raise ValidationError(
                    self.env._(
                        "%(document)s of %(customer)s cannot expire before it is issued.",
                        document=document.document_type_id.name,
                        customer=document.partner_id.display_name,
                    )
                )

    def write(self, vals):
        if "expiry_date" in vals:
            vals = dict(vals, expiry_notified=False)
        return super().write(vals)

    @api.model
    def _cron_notify_expiring(self):
        """One activity per document that expires within the notice period,
        for the customer's salesperson (the cron's user otherwise), once."""
        limit = fields.Date.context_today(self) + timedelta(days=EXPIRY_NOTICE_DAYS)
        documents = self.search(
            [("expiry_notified", "=", False), ("expiry_date", "!=", False), ("expiry_date", "<=", limit)]
        )
        if not documents:
            return
        model_id = self.env["ir.model"]._get_id("res.partner")
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": document.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (document.partner_id.user_id or self.env.user).id,
                    "date_deadline": document.expiry_date,
                    "summary": self.env._(
                        "%(document)s expires on %(date)s",
                        document=document.document_type_id.name,
                        date=document.expiry_date,
                    ),
                }
                for document in documents
            ]
        )
        documents.write({"expiry_notified": True})


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_document_ids = fields.One2many(
        "res.partner.customer.document", "partner_id", string="Documents", groups=VIEW_GROUP
    )

    def _missing_customer_documents(self):
        """Names of the required document types the commercial partner has no
        document in force for."""
        self.ensure_one()
        partner = self.commercial_partner_id
        today = fields.Date.context_today(self)
        required = (
            self.env["res.partner.customer.document.type"]
            .sudo()
            .search([("required_for_operations", "=", True), ("country_id", "in", (False, partner.country_id.id))])
        )
        in_force = (
            partner.sudo()
            .customer_document_ids.filtered(lambda d: not d.expiry_date or d.expiry_date >= today)
            .document_type_id
        )
        return (required - in_force).mapped("name")


class CustomsFile(models.Model):
    _inherit = "customs.file"  # pylint: disable=consider-merging-classes-inherited

    @api.constrains("partner_id", "company_id")
    def _check_customer_documents(self):
        # The refusal is the file company's setting; otherwise the form warns.
        for record in self.filtered(lambda r: r.company_id.customer_document_refuse and r.partner_id):
            missing = record.partner_id._missing_customer_documents()
            if missing:
                raise ValidationError(
                    self.env._(
                        "%(customer)s lacks these documents in force, required to open a customs file: "
                        "%(documents)s.",
                        customer=record.partner_id.commercial_partner_id.display_name,
                        documents=", ".join(missing),
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id_customer_documents(self):
        if not self.partner_id:
            return None
        missing = self.partner_id._missing_customer_documents()
        if not missing:
            return None
        return {
            "warning": {
                "title": self.env._("Customer documents"),
                "message": self.env._(
                    "%(customer)s lacks these documents in force: %(documents)s.",
                    customer=self.partner_id.commercial_partner_id.display_name,
                    documents=", ".join(missing),
                ),
            }
        }
