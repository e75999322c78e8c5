from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CustomsFile(models.Model):
    """What the customer's people see of a customs file under /my."""

    _inherit = "customs.file"

    portal_attachment_ids = fields.Many2many(
        "ir.attachment",
        "customs_file_portal_attachment_rel",
        "customs_file_id",
        "attachment_id",
        string="Shared with Customer",
        copy=False,
        help="Documents of this customs file the customer can download from the portal. "
        "Other attachments of the file stay internal.",
    )

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/expedientes/{record.id}"

    def _get_portal_return_action(self):
        """The backend action of the "back to edit mode" link of the portal page."""
        self.ensure_one()
        return self.env.ref("clientes_aduanas.customs_file_action")

    @api.constrains("portal_attachment_ids")
    def _check_portal_attachments(self):
        # Only this file's own documents can be shared: a picked attachment of
        # another record (another customer's file) would reach this customer.
        for record in self:
            foreign = record.portal_attachment_ids.filtered(
                lambda a, record=record: a.res_model != record._name or a.res_id != record.id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Only documents attached to customs file %(name)s can be shared with its customer: "
                        "%(documents)s.",
                        name=record.name,
                        documents=", ".join(foreign.mapped("name")),
                    )
                )

    def _portal_shared_attachments(self):
        """The shared documents, each with the access token its download
        link needs (portal users cannot read attachments otherwise)."""
        self.ensure_one()
        attachments = self.sudo().portal_attachment_ids
        attachments.filtered(lambda a: not a.access_token).generate_access_token()
        return attachments

    def _portal_linked_documents(self, viewer):
        """The quotations and invoices of the file its portal page lists for
        ``viewer`` (res.users), sudo-ed for their portal links: only what the
        customer was sent, and only documents of the file's customer that
        are also the viewer's own (a portal user's commercial partner; staff
        and token holders see the file's customer's). Whatever the links
        stored say: the constraint on the links is not the only guard of
        another customer's documents."""
        self.ensure_one()
        file_sudo = self.sudo()
        customer = file_sudo.commercial_partner_id
        if viewer.share and not viewer._is_public() and viewer.partner_id.commercial_partner_id != customer:
            customer = customer.browse()
        orders = file_sudo.sale_order_ids.filtered(
            lambda o: o.state in ("sent", "sale") and customer and o.partner_id.commercial_partner_id == customer
        )
        invoices = file_sudo.invoice_ids.filtered(
            lambda m: m.state == "posted"
            and m.move_type in ("out_invoice", "out_refund")
            and customer
            and m.commercial_partner_id == customer
        )
        return orders, invoices

    def message_post(self, **kwargs):
        # A suspended customer's people keep reading their files but start
        # nothing new, not even a request in the chatter. Staff post as usual.
        if self.env.user.share:
            for record in self:
                record.partner_id._check_can_be_used_in_operation(company=record.company_id)
        elif kwargs.get("message_type") == "email" and len(self) == 1:
            kwargs = self._refused_email_as_note(kwargs)
        return super().message_post(**kwargs)

    def _refused_email_as_note(self, kwargs):
        """An e-mail from outside (a reply of the customer's people) meets
        the portal's rule: when the portal would refuse their message, the
        e-mail is not posted as the customer's message (no follower, portal
        included, is notified and the portal does not show it) but kept as
        an internal note for the file's responsible, saying why. Refusing
        it would lose it: a bounce reaches whoever sent it, not the staff
        who must answer (often about what reactivates the customer)."""
        # The gateway posts as the (archived) superuser, with the sender as
        # author when known: an unknown sender is not staff either.
        author = self.env["res.partner"].browse(kwargs.get("author_id")).exists() or self.env.user.partner_id
        if any(user._is_internal() for user in author.sudo().user_ids):
            return kwargs
        try:
            self.partner_id._check_can_be_used_in_operation(company=self.company_id)
        except UserError as err:
            note = self.env._(
                "E-mail received but not posted as the customer's message: %(reason)s It is kept as an internal "
                "note; answer it from here if needed.",
                reason=err.args[0],
            )
            kwargs = dict(
                kwargs,
                body=Markup("<p><em>%s</em></p>") % note + Markup(kwargs.get("body") or ""),
                subtype_id=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                subtype_xmlid=None,
                is_internal=True,
                partner_ids=self.sudo().user_id.partner_id.ids,
            )
        return kwargs
