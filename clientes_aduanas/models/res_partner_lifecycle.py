"""res.partner: the life of a registered customer and who may change it.

- the four permissions (create / edit / delete; the fourth, view, is the
  fields' and menus' ``groups``), master data by allow-list: every field but
  Odoo's bookkeeping (res_partner.BOOKKEEPING_FIELDS);
- the one writer of the customer state: suspend / reactivate (Archive,
  Unarchive and a plain write of ``customer_state`` or ``active`` go through it);
- un-registering and deleting, refused while the customer has operations;
- whether a partner may be used in a new operation.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .res_partner import GROUP, LIFECYCLE, PERMISSION_GROUPS, SUSPENSION_FIELDS, is_bookkeeping


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Permissions (view / create / edit / delete registered customers)
    # ------------------------------------------------------------------
    @api.model
    def _customer_has_permission(self, operation):
        """Whether the current user holds the customer permission of
        ``operation`` (view / create / write / unlink)."""
        return self.env.user.has_group(GROUP % PERMISSION_GROUPS[operation])

    def _check_customer_permission(self, operation):
        if self.env.su:
            return
        if not self._customer_has_permission(operation):
            messages = {
                "create": self.env._("You are not allowed to register customers (permission: Customers: Create)."),
                "write": self.env._("You are not allowed to edit registered customers (permission: Customers: Edit)."),
                "unlink": self.env._(
                    "You are not allowed to delete registered customers (permission: Customers: Delete)."
                ),
            }
            raise AccessError(messages[operation])

    def _changes_master_data(self, vals):
        """Whether ``vals`` really changes a master-data field (anything but
        Odoo's bookkeeping) of these partners. The web client re-sends
        unchanged values right after a create (e.g. ``is_company`` from the
        person-type radio): that must not need the Edit permission of a user
        who may only create."""
        for name in vals:
            # Registering needs Create, un-registering Delete: checked apart.
            if is_bookkeeping(name) or name not in self._fields or name == "is_registered_customer":
                continue
            field = self._fields[name]
            if field.type in ("one2many", "many2many"):
                if vals[name]:
                    return True
                continue
            for partner in self.sudo():
                try:
                    new = field.convert_to_record(field.convert_to_cache(vals[name], partner), partner)
                except (ValueError, TypeError):
                    return True
                if new != partner[name] and (new or partner[name]):
                    return True
        return False

    def _customer_contacts(self):
        """The partners of ``self`` that are contacts of a registered customer."""
        return self.filtered(
            lambda p: not p.is_registered_customer and p.parent_id.commercial_partner_id.is_registered_customer
        )

    def _customer_parent_is_registered(self, parent_id):
        parent = self.browse(parent_id).sudo().exists() if parent_id else self.browse()
        return bool(parent.commercial_partner_id.is_registered_customer)

    @api.model
    def _customer_check_create(self, vals_list):
        """Permissions on create; returns the values to create."""
        copying = self.env.context.get("customer_copy") is LIFECYCLE
        for vals in vals_list:
            # Computed from the e-mail and document only (uniqueness).
            vals.pop("customer_email_key", None)
            vals.pop("customer_vat_key", None)
            if not copying:
                vals.pop("customer_incomplete", None)
            if vals.get("is_registered_customer"):
                self._check_customer_permission("create")
                if vals.get("customer_state") == "suspended" or vals.get("active") is False:
                    raise UserError(self.env._("A new customer starts active: suspend it afterwards, saying why."))
                for name in SUSPENSION_FIELDS - {"customer_state"}:
                    vals.pop(name, None)
            elif self._customer_parent_is_registered(vals.get("parent_id")):
                self._check_customer_permission("write")
        return vals_list

    def _customer_check_write(self, vals, customers, registering):
        """Permissions on write (the state was routed before)."""
        if registering:
            registering._check_customer_permission("create")
        if customers and customers._changes_master_data(vals):
            customers._check_customer_permission("write")
            customers._customer_check_document_change(vals)
        if self.env.su:
            return
        contacts = (self - customers - registering)._customer_contacts()
        if contacts and contacts._changes_master_data(vals):
            contacts._check_customer_permission("write")
        if vals.get("parent_id") and self._customer_parent_is_registered(vals["parent_id"]):
            self._check_customer_permission("write")

    def _customer_check_user_write(self, vals):
        """Permissions of a write of ``vals`` (fields res.users inherits from
        its partner) on the partners of users. Odoo writes a user's own
        name, e-mail, language, avatar... as superuser (res.users
        SELF_WRITEABLE_FIELDS): checked here, before that sudo, for the user
        behind the call. A partner that is itself the registered customer
        needs Edit; a contact of one changes its own details, as on /my/account."""
        customers = self.browse(self.sudo().filtered("is_registered_customer").ids)
        if customers:
            customers._customer_check_write(vals, customers, self.browse())

    def _customer_check_dependent_change(self):
        """Records that hang from these partners and are master data of a
        registered customer (its bank accounts, for one: refunds go there)
        change with the Edit permission, as the customer itself."""
        governed = (
            self.sudo()
            .with_context(active_test=False)
            .filtered(lambda p: p.is_registered_customer or p.parent_id.commercial_partner_id.is_registered_customer)
        )
        if governed:
            self._check_customer_permission("write")

    def _customer_check_document_change(self, vals):
        """The document of a customer that has posted invoices cannot change,
        by the test of account's ``can_edit_vat`` (not ``can_edit_vat`` itself:
        the portal makes it False for every registered customer)."""
        document_fields = {"vat", "l10n_latam_identification_type_id"}.intersection(vals)
        if not document_fields:
            return
        for partner in self:
            if not partner._changes_master_data({name: vals[name] for name in document_fields}):
                continue
            if partner._has_invoice([("partner_id", "child_of", partner.commercial_partner_id.id)]):
                raise UserError(
                    self.env._(
                        "The document of %(name)s cannot change: the customer already has posted invoices "
                        "with it. Register the new document as a new customer.",
                        name=partner.display_name,
                    )
                )

    def _customer_check_unlink(self):
        if self.filtered("is_registered_customer"):
            self._check_customer_permission("unlink")
        if self._customer_contacts():
            self._check_customer_permission("write")
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            # Here rather than in an @api.ondelete method: sale's unlink()
            # deletes the partner's draft quotations before the ondelete
            # checks run, and they are history too.
            self._unlink_except_customer_with_operations()

    # ------------------------------------------------------------------
    # The one writer of the customer state
    # ------------------------------------------------------------------
    def _customer_route_lifecycle(self, vals):
        """Send ``customer_state`` / ``active`` / un-registering of registered
        customers through suspend, reactivate and the delete rules. Returns
        what is left to write (``None`` when nothing)."""
        if self.env.context.get("customer_lifecycle") is LIFECYCLE:
            return vals
        customers = self.filtered("is_registered_customer")
        vals = self._customer_writable_vals(vals, customers)
        if not customers:
            return vals
        state = vals.pop("customer_state", None)
        reason = vals.pop("suspension_reason", None)
        active = vals.pop("active", None) if "active" in vals else None
        others = self - customers
        if active is not None and others:
            others.write({"active": active})
        if state == "suspended" or (active is False and state is None):
            to_suspend = customers.filtered(lambda p: p.customer_state != "suspended" or p.active)
            if state is None and not reason:
                # Odoo's Archive action has no reason to ask for: say so.
                reason = self.env._("Archived by %(user)s.", user=self.env.user.name)
            if to_suspend:
                to_suspend._suspend(reason)
        elif state == "active" or active:
            to_reactivate = customers.filtered(lambda p: p.customer_state != "active" or not p.active)
            if to_reactivate:
                to_reactivate.action_reactivate()
        if "is_registered_customer" in vals and not vals["is_registered_customer"]:
            customers._customer_unregister()
        return vals or None

    def _customer_writable_vals(self, vals, customers):
        """``vals`` without what no caller writes directly (keys, the copy's
        flag; suspension data of a partner being registered or merged)."""
        vals = dict(vals)
        for name in ("customer_incomplete", "customer_email_key", "customer_vat_key"):
            vals.pop(name, None)
        if self.env.context.get("customer_merge") is LIFECYCLE:
            # Odoo's merge wizard copies every field of the merged partners.
            for name in (*SUSPENSION_FIELDS, "active"):
                vals.pop(name, None)
        if vals.get("is_registered_customer") and (self - customers):
            if vals.get("customer_state") == "suspended" or vals.get("active") is False:
                raise UserError(self.env._("A new customer starts active: suspend it afterwards, saying why."))
            for name in SUSPENSION_FIELDS:
                vals.pop(name, None)
        if customers and (
            {"suspension_date", "suspended_by_id"}.intersection(vals)
            or ("suspension_reason" in vals and vals.get("customer_state") != "suspended")
        ):
            raise UserError(
                self.env._("The suspension data change only with the Suspend and Reactivate buttons of the customer.")
            )
        return vals

    def _check_registered_customer_required(self, company, operation):
        """The company setting "only registered customers": refuse a
        document of ``company`` for this partner when its commercial partner
        is not a registered customer. ``operation``: "quote" or "invoice".
        Off by default: installing the addon on a live database changes
        nothing. Suspended customers are refused whatever the setting
        (_check_can_be_used_in_operation)."""
        customer = self.commercial_partner_id
        if not (company.require_registered_customer and customer and not customer.is_registered_customer):
            return
        if operation == "quote":
            message = self.env._(
                "%(name)s is not a registered customer; this company only quotes to registered customers.",
                name=self.display_name,
            )
        else:
            message = self.env._(
                "%(name)s is not a registered customer; this company only invoices registered customers.",
                name=self.display_name,
            )
        raise ValidationError(message)

    def _customer_write_lifecycle(self, vals):
        return self.with_context(customer_lifecycle=LIFECYCLE).write(vals)

    def _customer_unregister(self):
        """Un-registering escapes every customer rule: it needs the Delete
        permission and is refused, like deleting, while there are operations."""
        self._check_customer_permission("unlink")
        self._unlink_except_customer_with_operations()

    def action_register_customer(self):
        self.ensure_one()
        vals = {"is_registered_customer": True, "customer_rank": max(self.customer_rank, 1)}
        if not self.l10n_latam_identification_type_id.customs_document_code:
            default = self.env["l10n_latam.identification.type"]._customer_default_for_country(
                self.country_id or self.env.company.country_id
            )
            vals["l10n_latam_identification_type_id"] = default.id
        self.write(vals)
        return self.env["ir.actions.act_window"]._for_xml_id("clientes_aduanas.res_partner_action_customer") | {
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("clientes_aduanas.res_partner_view_form_customer").id, "form")],
        }

    def action_open_suspend_wizard(self):
        self._check_customer_permission("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suspend Customer"),
            "res_model": "customer.suspend.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def _suspend(self, reason):
        self._check_customer_permission("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the customer is suspended: the reason is kept in its history."))
        not_customers = self.filtered(lambda p: not p.is_registered_customer)
        if not_customers:
            raise UserError(
                self.env._(
                    "%(name)s is not a registered customer: archive it instead of suspending it.",
                    name=not_customers[0].display_name,
                )
            )
        newly_suspended = self.filtered(lambda p: p.customer_state != "suspended" or p.active)
        self._customer_write_lifecycle(
            {
                "customer_state": "suspended",
                "active": False,
                "suspension_reason": reason,
                "suspension_date": fields.Datetime.now(),
                "suspended_by_id": self.env.user.id,
            }
        )
        for partner in self:
            partner.message_post(
                body=self.env._(
                    "Customer suspended by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        if newly_suspended:
            newly_suspended._customer_event("suspended", reason=reason)

    def action_reactivate(self):
        self._check_customer_permission("write")
        reactivated = self.filtered(
            lambda p: p.is_registered_customer and (p.customer_state != "active" or not p.active)
        )
        self._customer_write_lifecycle(
            {
                "customer_state": "active",
                "active": True,
                "suspension_reason": False,
                "suspension_date": False,
                "suspended_by_id": False,
            }
        )
        for partner in self:
            partner.message_post(
                body=self.env._("Customer reactivated by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        if reactivated:
            reactivated._customer_event("reactivated")
        return True

    # ------------------------------------------------------------------
    # Delete protection: suspend instead of deleting a customer with history
    # ------------------------------------------------------------------
    def _unlink_except_customer_with_operations(self):
        governed = self.with_context(active_test=False).filtered(
            lambda p: p.is_registered_customer or p.parent_id.is_registered_customer
        )
        if not governed:
            return
        counts = governed.sudo()._customer_operation_counts()
        for partner in governed:
            found = counts.get(partner.id)
            if not found:
                continue
            what = ", ".join(f"{count} {label}" for label, count in found.items())
            if partner.is_registered_customer:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be deleted because it has %(what)s. "
                        "Suspend the customer instead: its history is kept.",
                        name=partner.display_name,
                        what=what,
                    )
                )
            raise UserError(
                self.env._(
                    "Contact %(name)s cannot be deleted because it has %(what)s. Archive it instead.",
                    name=partner.display_name,
                    what=what,
                )
            )

    # ------------------------------------------------------------------
    # Operations: suspended (or incomplete) customers cannot be used
    # ------------------------------------------------------------------
    def _check_can_be_used_in_operation(self, company=None):
        """Raise when a partner (or the company it belongs to) is a
        suspended registered customer, or a duplicated one still waiting for
        its document and e-mail. Reads archived records on purpose: the id
        may come straight from an import or an RPC call. ``company`` is the
        company of the document being made (default: the user's current
        one): its settings apply, whatever company the user works in."""
        commercial = self.sudo().with_context(active_test=False).commercial_partner_id
        suspended = commercial.filtered(lambda p: p.is_registered_customer and p.customer_state == "suspended")
        if suspended:
            raise UserError(
                self.env._(
                    "Customer %(name)s is suspended and cannot be used for new operations. Reactivate it first.",
                    name=suspended[0].display_name,
                )
            )
        incomplete = commercial.filtered(lambda p: p.is_registered_customer and p.customer_incomplete)
        if incomplete:
            raise UserError(
                self.env._(
                    "Customer %(name)s has no document number and e-mail yet: complete it before using it "
                    "in an operation.",
                    name=incomplete[0].display_name,
                )
            )
