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
# Above this many activities in one run, they are inserted in SQL.
ACTIVITY_ORM_LIMIT = 500


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
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "expiry_date, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_registered_customer', '=', True)]",
    )
    document_type_id = fields.Many2one(
        "res.partner.customer.document.type", required=True, ondelete="restrict", tracking=True
    )
    number = fields.Char(tracking=True)
    issue_date = fields.Date(tracking=True)
    expiry_date = fields.Date(index=True, tracking=True, help="Empty when the document does not expire.")
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    expiry_notified = fields.Boolean(
        copy=False, help="The expiry activity was created; a new expiry date sets it back."
    )
    state = fields.Selection(
        [("valid", "In Force"), ("expiring", "Expiring"), ("expired", "Expired")],
        compute="_compute_state",
    )
    # A renewal the customer uploads on the portal waits here until the
    # staff accept it (it then replaces the document) or reject it.
    renewal_state = fields.Selection(
        [("pending", "To Review"), ("rejected", "Rejected")],
        string="Renewal",
        tracking=True,
        copy=False,
        index="btree_not_null",
    )
    renewal_file = fields.Binary(attachment=True, copy=False)
    renewal_file_name = fields.Char(copy=False)
    renewal_number = fields.Char(copy=False)
    renewal_issue_date = fields.Date(copy=False)
    renewal_expiry_date = fields.Date(copy=False)
    renewal_user_id = fields.Many2one("res.users", string="Renewal Uploaded By", copy=False)

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

    @api.constrains("issue_date", "expiry_date", "renewal_issue_date", "renewal_expiry_date")
    def _check_dates(self):
        for document in self:
            issued, expires = document.issue_date, document.expiry_date
            if document.renewal_state == "pending":
                issued, expires = document.renewal_issue_date, document.renewal_expiry_date
            if (issued and expires and expires < issued) or (
                document.issue_date and document.expiry_date and document.expiry_date < document.issue_date
            ):
                raise ValidationError(
                    self.env._(
                        "%(document)s of %(customer)s cannot expire before it is issued.",
                        document=document.document_type_id.name,
                        customer=document.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Documents are filed by the dozen on the customer's form and in
        # bulk: the chatter starts with the changes, not with a line per creation.
        return super(ResPartnerCustomerDocument, self.with_context(mail_create_nolog=True)).create(vals_list)

    def write(self, vals):
        if "expiry_date" in vals:
            vals = dict(vals, expiry_notified=False)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Renewal uploaded on the portal, accepted or rejected by the staff
    # ------------------------------------------------------------------
    def _portal_submit_renewal(self, file_content, file_name, expiry_date, number=None, issue_date=None):
        """Record the customer's renewal of this document for the staff to
        review (an activity for the customer's salesperson). Called by the
        portal route after it checked the document is the user's customer's."""
        self.ensure_one()
        if not file_content:
            raise ValidationError(self.env._("Attach the renewed document."))
        if not expiry_date:
            raise ValidationError(self.env._("Give the new expiry date of the document."))
        if expiry_date < fields.Date.context_today(self):
            raise ValidationError(self.env._("The renewed document cannot be already expired."))
        self.write(
            {
                "renewal_state": "pending",
                "renewal_file": file_content,
                "renewal_file_name": file_name,
                "renewal_number": number or self.number,
                "renewal_issue_date": issue_date,
                "renewal_expiry_date": expiry_date,
                "renewal_user_id": self.env.user.id,
            }
        )
        customer = self.partner_id
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(customer.user_id or self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user).id,
            summary=self.env._(
                "Review the renewal of %(document)s uploaded by %(customer)s",
                document=self.document_type_id.name,
                customer=customer.display_name,
            ),
        )
        return True

    def action_accept_renewal(self):
        """The renewal replaces the document (file, number, dates); the
        expiry is watched again from its new date."""
        for document in self.filtered(lambda d: d.renewal_state == "pending"):
            document.write(
                {
                    "file": document.renewal_file,
                    "file_name": document.renewal_file_name,
                    "number": document.renewal_number or document.number,
                    "issue_date": document.renewal_issue_date or document.issue_date,
                    "expiry_date": document.renewal_expiry_date,
                    **document._renewal_cleared_vals(),
                }
            )
            document.activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._("Renewal accepted."))
            document._message_log(body=self.env._("Renewal accepted."))
        return True

    def action_reject_renewal(self):
        for document in self.filtered(lambda d: d.renewal_state == "pending"):
            document.write({**document._renewal_cleared_vals(), "renewal_state": "rejected"})
            document.activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._("Renewal rejected."))
            document._message_log(body=self.env._("Renewal rejected."))
        return True

    def _renewal_cleared_vals(self):
        return {
            "renewal_state": False,
            "renewal_file": False,
            "renewal_file_name": False,
            "renewal_number": False,
            "renewal_issue_date": False,
            "renewal_expiry_date": False,
        }

    @api.model
    def _cron_notify_expiring(self):
        """One activity per document that expires within the notice period,
        for the customer's salesperson (the cron's user otherwise), once.
        Above ACTIVITY_ORM_LIMIT documents (the first run on a database that
        already holds years of documents) the activities are inserted in SQL
        (:meth:`_insert_expiry_activities`), as the SUNAT padrón check does."""
        limit = fields.Date.context_today(self) + timedelta(days=EXPIRY_NOTICE_DAYS)
        documents = self.search(
            [("expiry_notified", "=", False), ("expiry_date", "!=", False), ("expiry_date", "<=", limit)]
        )
        if not documents:
            return
        if len(documents) > ACTIVITY_ORM_LIMIT:
            self._insert_expiry_activities(documents.ids)
            return
        model_id = self.env["ir.model"]._get_id("res.partner")
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        # mail.activity makes each responsible a follower of the customer, in
        # one insert that fails when a customer has two documents in the run:
        # follow each customer once first.
        by_user = {}
        for document in documents:
            user = document.partner_id.user_id or self.env.user
            by_user.setdefault(user, self.env["res.partner"])
            by_user[user] |= document.partner_id
        for user, partners in by_user.items():
            partners.message_subscribe(partner_ids=user.sudo().partner_id.ids)
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

    @api.model
    def _insert_expiry_activities(self, document_ids):
        """The expiry activities of many documents in one INSERT, the same
        values the ORM path writes (summary in the cron user's language).
        The responsible users follow their customers, as with the ORM."""
        lang = self.env.lang or "en_US"
        summary = self.env._("%(document)s expires on %(date)s", document="%1$s", date="%2$s")
        self.env["mail.activity"].flush_model()
        self.flush_model()
        self.env.cr.execute(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                                       date_deadline, user_id, automated, active,
                                       create_uid, create_date, write_uid, write_date)
            SELECT %(model)s, 'res.partner', d.partner_id, p.complete_name, %(type)s,
                   format(%(summary)s, coalesce(t.name->>%(lang)s, t.name->>'en_US'),
                          to_char(d.expiry_date, 'YYYY-MM-DD')),
                   d.expiry_date, coalesce(u.id, %(uid)s), true, true,
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM res_partner_customer_document d
              JOIN res_partner p ON p.id = d.partner_id
              JOIN res_partner_customer_document_type t ON t.id = d.document_type_id
              LEFT JOIN res_users u ON u.id = p.user_id AND u.active
             WHERE d.id = ANY(%(ids)s)
         RETURNING id
            """,
            {
                "model": self.env["ir.model"]._get_id("res.partner"),
                "type": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": summary,
                "lang": lang,
                "uid": self.env.uid,
                "ids": document_ids,
            },
        )
        activity_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["mail.activity"]._subscribe_responsibles_sql("res.partner", activity_ids)
        self.env.cr.execute(
            "UPDATE res_partner_customer_document SET expiry_notified = true WHERE id = ANY(%s)", [document_ids]
        )
        self.env["mail.activity"].invalidate_model()
        self.invalidate_model(["expiry_notified"])


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
