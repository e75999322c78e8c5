"""res.partner: the customer's operations (quotations, invoices, payments,
customs files), defined once in ``_customer_operation_sources`` and used by
the delete guard, the smart buttons, the history and the export statistics."""

from odoo import fields, models

from ..tools import contact_channel as ch


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customs_file_ids = fields.One2many("customs.file", "commercial_partner_id", string="Customs Files")
    customs_file_count = fields.Integer(compute="_compute_operation_counts", string="Customs Files Count")
    customer_invoice_count = fields.Integer(compute="_compute_operation_counts", string="Invoices Count")
    customer_payment_count = fields.Integer(compute="_compute_operation_counts", string="Payments Count")
    operation_history_ids = fields.One2many(
        "customs.operation.history",
        "commercial_partner_id",
        string="Operations History",
        readonly=True,
        groups="clientes_aduanas.clientes_aduanas_group_view",
    )

    def _customer_operation_sources(self):
        """The customer's operations, one dict per kind: ``model``, ``label``
        (for messages), ``path`` from the document to the commercial customer,
        ``domain`` (what counts as this kind of operation) and the
        ``count_field`` of its smart button (quotations use sale's own).
        Models of a partial install are left out."""
        sources = [
            {
                "kind": "quotation",
                "model": "sale.order",
                "label": self.env._("quotations/sale orders"),
                "path": "partner_id.commercial_partner_id",
                "domain": [],
                "count_field": None,
            },
            {
                "kind": "invoice",
                "model": "account.move",
                "label": self.env._("invoices"),
                "path": "commercial_partner_id",
                "domain": [("move_type", "in", ("out_invoice", "out_refund"))],
                "count_field": "customer_invoice_count",
            },
            {
                "kind": "payment",
                "model": "account.payment",
                "label": self.env._("payments"),
                "path": "partner_id.commercial_partner_id",
                "domain": [("partner_type", "=", "customer")],
                "count_field": "customer_payment_count",
            },
            {
                "kind": "customs_file",
                "model": "customs.file",
                "label": self.env._("customs files"),
                "path": "commercial_partner_id",
                "domain": [],
                "count_field": "customs_file_count",
            },
        ]
        return [source for source in sources if source["model"] in self.env]

    def _customer_operation_read_group(self, source, aggregates=("__count",), domain=()):
        """``{commercial partner id: aggregates}`` of one source for the
        commercial partners of ``self``, with the current user's access
        rights and record rules (a model the user cannot read gives ``{}``).
        One grouped query; documents of contacts count for their customer.
        Registered customers are their own commercial partner (a partner the
        merge wizard is about to delete already points to the merged one)."""
        commercial_ids = [p.id if p.is_registered_customer else p.commercial_partner_id.id for p in self]
        commercial_ids = list(dict.fromkeys(commercial_ids))
        Model = self.env[source["model"]].with_context(active_test=False)
        if not commercial_ids or not Model.has_access("read"):
            return {}
        path = source["path"]
        extra = [*source["domain"], *domain]
        aggregates = list(aggregates)
        if path == "commercial_partner_id":
            groups = Model._read_group([(path, "in", commercial_ids), *extra], [path], aggregates)
            return {partner.id: values for partner, *values in groups}
        # No stored commercial partner: group by partner and fold the
        # contacts into their customer (the number of queries stays fixed).
        contacts = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch([("commercial_partner_id", "in", commercial_ids)], ["commercial_partner_id"])
        )
        commercial_of = {contact.id: contact.commercial_partner_id.id for contact in contacts}
        result = {}
        for partner, *values in Model._read_group(
            [("partner_id", "in", contacts.ids), *extra], ["partner_id"], aggregates
        ):
            key = commercial_of[partner.id]
            if key in result:
                result[key] = [a + b for a, b in zip(result[key], values, strict=True)]
            else:
                result[key] = values
        return result

    def _customer_operation_counts(self):
        """{partner id: {label: count}} of the operations of each partner of
        ``self`` (its own and its contacts'). Rights of the caller apply:
        the delete guard calls it as superuser."""
        counts = {}
        by_source = [
            (source, self._customer_operation_read_group(source)) for source in self._customer_operation_sources()
        ]
        for partner in self:
            key = partner.id if partner.is_registered_customer else partner.commercial_partner_id.id
            if partner.parent_id and not partner.is_registered_customer:
                # A contact: only its own documents matter for deleting it.
                continue
            for source, per_customer in by_source:
                if per_customer.get(key):
                    counts.setdefault(partner.id, {})[source["label"]] = per_customer[key][0]
        contacts = self.filtered(lambda p: p.parent_id and not p.is_registered_customer)
        if contacts:
            counts.update(contacts._customer_contact_operation_counts())
        return counts

    def _customer_contact_operation_counts(self):
        """The documents addressed to each contact itself (and its own
        sub-contacts): one grouped query per source for all the contacts."""
        descendants = self.with_context(active_test=False).search([("id", "child_of", self.ids)])
        owner = {}
        for partner in descendants:
            ancestor = partner
            while ancestor and ancestor.id not in self.ids:
                ancestor = ancestor.parent_id
            owner[partner.id] = ancestor.id
        counts = {}
        for source in self._customer_operation_sources():
            Model = self.env[source["model"]].with_context(active_test=False)
            if not Model.has_access("read"):
                continue
            domain = [("partner_id", "in", descendants.ids), *source["domain"]]
            for partner, count in Model._read_group(domain, ["partner_id"], ["__count"]):
                found = counts.setdefault(owner[partner.id], {})
                found[source["label"]] = found.get(source["label"], 0) + count
        return counts

    def _customer_operation_source(self, kind):
        """The source of ``kind`` (see :meth:`_customer_operation_sources`),
        or ``None`` when its model is not installed."""
        return next((s for s in self._customer_operation_sources() if s["kind"] == kind), None)

    def _compute_operation_counts(self):
        """One grouped read per source, whatever the number of partners
        shown or documents they have; record rules apply."""
        sources = {s["count_field"]: s for s in self._customer_operation_sources() if s["count_field"]}
        for field_name in ("customs_file_count", "customer_invoice_count", "customer_payment_count"):
            per_customer = self._customer_operation_read_group(sources[field_name]) if field_name in sources else {}
            for partner in self:
                partner[field_name] = per_customer.get(partner.commercial_partner_id.id, [0])[0]

    def _action_open_operations(self, xmlid, count_field, context=None):
        self.ensure_one()
        source = next(s for s in self._customer_operation_sources() if s["count_field"] == count_field)
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        return action | {
            "domain": [(source["path"], "=", self.commercial_partner_id.id), *source["domain"]],
            "context": dict(context or {}, create=False),
        }

    def action_view_customs_files(self):
        return self._action_open_operations(
            "clientes_aduanas.customs_file_action",
            "customs_file_count",
            {"default_partner_id": self.commercial_partner_id.id, "create": True},
        )

    def action_view_customer_invoices(self):
        """Spec 000: "ver facturas del cliente"."""
        return self._action_open_operations(
            "account.action_move_out_invoice_type",
            "customer_invoice_count",
            {"default_move_type": "out_invoice", "default_partner_id": self.commercial_partner_id.id},
        )

    def action_view_customer_payments(self):
        return self._action_open_operations(
            "account.action_account_payments",
            "customer_payment_count",
            {"default_partner_type": "customer", "default_payment_type": "inbound"},
        )

    def action_view_operation_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clientes_aduanas.customs_operation_history_action")
        return action | {
            "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            "display_name": self.env._("Operations History: %(name)s", name=self.commercial_partner_id.display_name),
        }

    def _get_billing_contact(self):
        """The invoice-address contact carrying the billing e-mail, created
        on first use so that invoice mails reach a partner with that address."""
        self.ensure_one()
        email = ch.normalize_email(self.billing_email)
        contact = self.child_ids.filtered(lambda c: c.email_normalized == email)[:1]
        if not contact:
            contact = (
                self.sudo()
                .env["res.partner"]
                .create(
                    {
                        "parent_id": self.id,
                        "type": "invoice",
                        "name": self.env._("Billing"),
                        "email": self.billing_email,
                    }
                )
            )
        return contact
