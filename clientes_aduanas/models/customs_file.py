from urllib.parse import quote

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import contact_channel as ch

# Moving a file to these states is new work for the customer.
FORWARD_STATES = ("in_progress", "released", "closed")
# Allowed transitions: target state -> states it can be reached from. A
# closed file is final; a cancelled one can be reopened as a draft.
TRANSITIONS = {
    "in_progress": ("draft",),
    "released": ("in_progress",),
    "closed": ("released",),
    "cancelled": ("draft", "in_progress", "released"),
    "draft": ("cancelled",),
}


class CustomsFile(models.Model):
    _name = "customs.file"
    _description = "Customs File"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "opening_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_registered_customer', '=', True), ('customer_state', '=', 'active')]",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        string="Commercial Customer",
    )
    operation_type = fields.Selection(
        [("import", "Importation"), ("export", "Exportation")],
        required=True,
        default="import",
        tracking=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In Progress"),
            ("released", "Cleared / Released"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    opening_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True, index=True)
    closing_date = fields.Date(readonly=True, copy=False, tracking=True)
    declaration_number = fields.Char(
        index="trigram",
        tracking=True,
        copy=False,
        help="Customs declaration number: DUA/DAM in Peru, DUCA in Honduras.",
    )
    customs_office = fields.Char(
        string="Customs Office (Other Countries)",
        help="Customs office (aduana) where the goods are cleared, as text: for an office that is not in "
        "the catalogue of the Customs Office field (Peru and Honduras).",
    )
    goods_description = fields.Text()
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    declared_value = fields.Monetary(currency_field="currency_id", tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True, index=True
    )
    operations_contact_id = fields.Many2one(
        "res.partner",
        compute="_compute_operations_contact_id",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', commercial_partner_id)]",
        help="Defaults to the customer's main operations contact.",
    )
    sale_order_ids = fields.Many2many(
        "sale.order",
        "customs_file_sale_order_rel",
        "customs_file_id",
        "sale_order_id",
        string="Quotations",
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
        check_company=True,
        copy=False,
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "customs_file_account_move_rel",
        "customs_file_id",
        "move_id",
        string="Invoices",
        domain="[('commercial_partner_id', '=', commercial_partner_id),"
        " ('move_type', 'in', ('out_invoice', 'out_refund'))]",
        check_company=True,
        copy=False,
    )
    sale_order_count = fields.Integer(compute="_compute_document_counts")
    invoice_count = fields.Integer(compute="_compute_document_counts")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "The customs file reference must be unique per company."),
    ]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("partner_id")
    def _compute_operations_contact_id(self):
        for record in self:
            record.operations_contact_id = record.partner_id.commercial_partner_id.child_ids.filtered(
                "is_operations_contact"
            )[:1]

    @api.depends("sale_order_ids", "invoice_ids")
    def _compute_document_counts(self):
        for record in self:
            record.sale_order_count = len(record.sale_order_ids)
            record.invoice_count = len(record.invoice_ids)

    @api.constrains("partner_id")
    def _check_partner_registered(self):
        for record in self:
            if not record.partner_id.commercial_partner_id.is_registered_customer:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a registered customer: register it before opening a customs file.",
                        name=record.partner_id.display_name,
                    )
                )
            record.partner_id._check_can_be_used_in_operation(company=record.company_id)

    @api.constrains("state", "declaration_number")
    def _check_declaration_number(self):
        for record in self:
            if record.state in ("released", "closed") and not record.declaration_number:
                raise ValidationError(
                    self.env._("Customs file %(name)s needs its declaration number (DUA/DUCA).", name=record.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("customs.file", vals.get("opening_date"))
                    or "/"
                )
        records = super().create(self._declaration_create_vals(vals_list))
        records._add_default_taxes()
        return records

    def write(self, vals):
        # The only write of customs.file: the workflow's guards and event
        # here, the declaration's stamps and events in customs_file_declaration.py.
        if "partner_id" in vals and self.filtered(lambda r: r.state not in ("draft", "in_progress")):
            raise UserError(self.env._("The customer of a released, closed or cancelled customs file cannot change."))
        old_states = {record.id: record.state for record in self}
        vals = dict(vals)
        if vals.get("state"):
            # The guards hold for any write (import, RPC), not only the buttons.
            moving = self.filtered(lambda r: r.state != vals["state"])
            moving._check_transition(vals["state"])
            if vals["state"] in FORWARD_STATES:
                for record in moving:
                    record.partner_id._check_can_be_used_in_operation(company=record.company_id)
            if vals["state"] == "closed":
                vals.setdefault("closing_date", fields.Date.context_today(self))
            elif vals["state"] == "draft":
                vals["closing_date"] = False
        vals, (apart, apart_vals), declaration_before = self._declaration_write_vals(vals)
        if apart:
            super(CustomsFile, apart).write(apart_vals)
        result = super().write(vals)
        if "state" in vals:
            moved = self.filtered(lambda r: old_states[r.id] != r.state)
            if moved:
                moved.commercial_partner_id._customer_event(
                    "customs_file_state_changed",
                    customs_files=moved,
                    previous={record.id: old_states[record.id] for record in moved},
                )
        self._declaration_after_write(vals, declaration_before)
        return result

    def _creation_message(self):
        # The chatter's first line is the company's record of the file: in
        # the company's Spanish, whatever the language of who opened it.
        lang = self.company_id.partner_id.lang or ""
        if not lang.startswith("es"):
            installed = [code for code, _name in self.env["res.lang"].get_installed() if code.startswith("es")]
            lang = installed[0] if installed else lang
        if not lang:
            return super()._creation_message()
        return super(CustomsFile, self.with_context(lang=lang))._creation_message()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_or_cancelled(self):
        if self.filtered(lambda r: r.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only draft or cancelled customs files can be deleted."))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_transition(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in TRANSITIONS.get(state, ()):
                if state == "closed" and record.state in ("draft", "in_progress"):
                    raise UserError(
                        self.env._(
                            "Customs file %(name)s cannot be closed: its goods were never cleared/released.",
                            name=record.name,
                        )
                    )
                raise UserError(
                    self.env._(
                        "Customs file %(name)s is %(current)s and cannot be moved to %(target)s.",
                        name=record.name,
                        current=labels[record.state],
                        target=labels.get(state, state),
                    )
                )

    def _set_state(self, state):
        self._check_transition(state)
        self.write({"state": state})
        return True

    def action_start(self):
        return self._set_state("in_progress")

    def action_release(self):
        return self._set_state("released")

    def action_close(self):
        return self._set_state("closed")

    def action_cancel(self):
        return self._set_state("cancelled")

    def action_draft(self):
        return self._set_state("draft")

    # ------------------------------------------------------------------
    # Customer notifications
    # ------------------------------------------------------------------
    def _get_notification_emails(self, invalid=None):
        """Valid addresses of the customer's notification list, comma
        separated. Addresses that fail validation (legacy data, imports that
        skipped the checks) are left out and appended to ``invalid``."""
        self.ensure_one()
        addresses = []
        for item in ch.split_list(self.commercial_partner_id.sudo().notification_emails):
            normalized = ch.normalize_email(item, allow_display_name=True)
            if not normalized:
                if invalid is not None:
                    invalid.append(item)
            elif normalized not in addresses:
                addresses.append(normalized)
        return ",".join(addresses)

    def _get_whatsapp_numbers(self):
        """International numbers (digits only, as wa.me wants them) of the
        customer's WhatsApp notification list; malformed ones are skipped."""
        self.ensure_one()
        numbers = []
        for item in ch.split_list(self.commercial_partner_id.sudo().notification_whatsapp):
            digits = ch.whatsapp_digits(item)
            if digits and digits not in numbers:
                numbers.append(digits)
        return numbers

    def _get_whatsapp_message(self):
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(company)s: your customs file %(name)s (%(declaration)s) is now %(state)s.",
            company=self.company_id.name,
            name=self.name,
            declaration=self.declaration_number or "-",
            state=labels[self.state],
        )

    def _get_whatsapp_links(self):
        self.ensure_one()
        text = quote(self._get_whatsapp_message())
        return [(number, f"https://wa.me/{number}?text={text}") for number in self._get_whatsapp_numbers()]

    def _notify_customer_state_change(self, template_xmlid="clientes_aduanas.mail_template_customs_file_state"):
        """E-mail (through the mail queue) the customer's notification
        addresses with the Spanish template (the state change's, or the one
        given), and leave in the chatter an internal note with who was
        e-mailed and ready WhatsApp links."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for record in self:
            lang = record.commercial_partner_id.lang or self.env.lang
            record = record.with_context(lang=lang)
            invalid = []
            emails = record._get_notification_emails(invalid)
            if template and emails:
                # force_send=False: the mail cron sends it after commit.
                template.send_mail(record.id, force_send=False)
            links = record._get_whatsapp_links()
            lines = []
            if template and emails:
                lines.append(self.env._("Status e-mail queued to %(emails)s.", emails=emails.replace(",", ", ")))
            if invalid:
                lines.append(
                    self.env._(
                        "Not e-mailed (invalid address): %(emails)s.",
                        emails=", ".join(invalid),
                    )
                )
            if links:
                lines.append(self.env._("Send this update by WhatsApp:"))
                lines.extend(
                    Markup('<a href="%s" target="_blank" rel="noopener">+%s</a>') % (url, number)
                    for number, url in links
                )
            if lines:
                record.message_post(body=Markup("<br/>").join(lines), subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        return action | {"domain": [("id", "in", self.sale_order_ids.ids)], "context": {"create": False}}

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        return action | {"domain": [("id", "in", self.invoice_ids.ids)], "context": {"create": False}}

    # Warned when the customs file is made; refused by the partner's operation check.
    @api.onchange("partner_id")
    def _onchange_partner_id_sunat_warning(self):
        return self.partner_id._sunat_operation_warning(company=self.company_id)

    # ------------------------------------------------------------------
    # Linked quotations and invoices: the file's own customer's only
    # ------------------------------------------------------------------
    @api.constrains("partner_id", "sale_order_ids", "invoice_ids")
    def _check_linked_documents(self):
        """The customer's people see a file's quotations and invoices on the
        portal: another customer's must never hang from it, whoever links
        them and however (the fields' domains only filter the screen). Read
        as superuser: who links may not read sales or accounting."""
        for record in self.sudo():
            customer = record.commercial_partner_id
            foreign = record.sale_order_ids.filtered(
                lambda order, customer=customer: order.partner_id.commercial_partner_id != customer
            ).mapped("display_name") + record.invoice_ids.filtered(
                lambda move, customer=customer: move.commercial_partner_id != customer
                or move.move_type not in ("out_invoice", "out_refund")
            ).mapped("display_name")
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Customs file %(name)s can only link quotations and customer invoices of its customer "
                        "%(customer)s, not: %(documents)s.",
                        name=record.name,
                        customer=customer.display_name,
                        documents=", ".join(foreign),
                    )
                )

    @api.model
    def _check_documents_linked_to_files(self, field_name, documents):
        """Run the check above on the files ``documents`` are linked to (a
        quotation or invoice changing customer after it was linked)."""
        files = self.sudo().search([(field_name, "in", documents.ids)]) if documents.ids else self.browse()
        files._check_linked_documents()
