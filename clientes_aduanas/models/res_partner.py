"""Registered customers on res.partner: fields, and the one create / write /
copy / unlink of the addon (the pipeline, see ResPartner.create), which calls
each concern's steps in a fixed order. No other file overrides these methods:
another concern (or addon) adds a step here, or subscribes to the customer
events (res_partner_events.py).

- res_partner_sunat.py: the SUNAT status, set only by the lookup and the padrón;

- res_partner_validation.py: normalisation and the customer rules;
- res_partner_uniqueness.py: stored keys, unique indexes, duplicate checks;
- res_partner_lifecycle.py: permissions, suspend/reactivate, un-register,
  delete guard, "usable in an operation";
- res_partner_operations.py: the customer's operations, counts, smart buttons;
- res_partner_lookup.py: the document lookup ("lupa").
"""

from odoo import api, fields, models

from ..tools import customer_schema as schema
from ..tools import document_number as dn

GROUP = "clientes_aduanas.clientes_aduanas_group_%s"
VIEW_GROUP = GROUP % "view"
# The four customer permissions: operation -> the group (GROUP % name) it
# needs. Read by ResPartner._customer_has_permission only.
PERMISSION_GROUPS = {"view": "view", "create": "create", "write": "edit", "unlink": "delete"}

# Odoo's own bookkeeping on a partner: writing these on a registered customer
# (or on one of its contacts) needs no customer permission. Every other field
# is the customer's master data. Prefixes cover the chatter and activities.
BOOKKEEPING_PREFIXES = ("message_", "activity_", "website_message", "rating_")
BOOKKEEPING_FIELDS = frozenset(
    {
        "customer_rank",
        "supplier_rank",
        "write_date",
        "write_uid",
        "create_date",
        "create_uid",
        "commercial_partner_id",
        "partner_share",
        "email_normalized",
        "phone_sanitized",
        "calendar_last_notif_ack",
        "signup_type",
        "document_lookup_request",
        "customer_email_key",
        "customer_vat_key",
        "__last_update",
    }
)
# Changed only by suspend / reactivate (res_partner_lifecycle.py).
SUSPENSION_FIELDS = frozenset({"customer_state", "suspension_reason", "suspension_date", "suspended_by_id"})

# Fields whose values the registered-customer rules look at.
CUSTOMER_RULE_FIELDS = (
    "is_registered_customer",
    "name",
    "vat",
    "l10n_latam_identification_type_id",
    "street",
    "city",
    "city_id",
    "state_id",
    "country_id",
    "email",
    "phone",
    "notification_emails",
    "notification_whatsapp",
    "billing_email",
    "parent_id",
    "customer_incomplete",
)

# Context value with which trusted server code (the spreadsheet import, right
# after validating the very same values) skips the customer constraint. An
# object, not a flag: a JSON-RPC caller can put ``True`` in its context but can
# never produce this instance.
PREVALIDATED = object()
# Context value of the writes made by suspend / reactivate themselves.
LIFECYCLE = object()


def is_bookkeeping(field_name):
    return field_name in BOOKKEEPING_FIELDS or field_name.startswith(BOOKKEEPING_PREFIXES)


class _MasterDataFields:
    """Set-like view of the master-data field names: every name but Odoo's
    bookkeeping (``in`` and ``intersection``, as a set of names is used)."""

    def __contains__(self, field_name):
        return not is_bookkeeping(field_name)

    def intersection(self, field_names):
        return {name for name in field_names if name in self}


CUSTOMER_MASTER_FIELDS = _MasterDataFields()


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
    customer_incomplete = fields.Boolean(
        string="Awaiting Document and E-mail",
        copy=False,
        readonly=True,
        help="A duplicated customer keeps everything but its document and e-mail: "
        "it cannot be used for operations until both are filled in.",
    )
    suspension_reason = fields.Char(copy=False, tracking=True, groups=VIEW_GROUP)
    suspension_date = fields.Datetime(string="Suspended On", copy=False, readonly=True, groups=VIEW_GROUP)
    suspended_by_id = fields.Many2one("res.users", copy=False, readonly=True, groups=VIEW_GROUP)
    customer_category_id = fields.Many2one(
        "res.partner.customer.category",
        index=True,
        tracking=True,
        ondelete="restrict",
        groups=VIEW_GROUP,
    )
    customer_class_id = fields.Many2one(
        "res.partner.customer.class",
        index=True,
        tracking=True,
        ondelete="restrict",
        groups=VIEW_GROUP,
        help="Whether the customer is a company of our own group or an external one.",
    )
    detraction_required = fields.Boolean(
        string="Requests Detraction",
        tracking=True,
        groups=VIEW_GROUP,
        help="The customer's invoices are subject to the Peruvian SPOT (detracción) system.",
    )
    phone_is_whatsapp = fields.Boolean(string="Phone is WhatsApp")
    notification_emails = fields.Char(
        string="Notification E-mails",
        tracking=True,
        groups=VIEW_GROUP,
        help="Additional e-mail addresses, separated by commas, that receive notifications.",
    )
    notification_whatsapp = fields.Char(
        string="Notification WhatsApp",
        tracking=True,
        groups=VIEW_GROUP,
        help="WhatsApp numbers, separated by commas, stored in international (E.164) format.",
    )
    billing_email = fields.Char(
        string="Billing E-mail",
        tracking=True,
        help="Address that receives the invoices; the main e-mail is used when empty.",
    )
    customer_description = fields.Text(string="Description", groups=VIEW_GROUP)
    is_operations_contact = fields.Boolean(
        string="Main Operations Contact",
        help="The contact the customs team calls first; at most one per customer.",
    )
    customs_document_code = fields.Selection(
        related="l10n_latam_identification_type_id.customs_document_code",
        string="Document Rule",
    )
    ruc_dni = fields.Char(
        string="DNI in RUC",
        compute="_compute_ruc_dni",
        help="A RUC starting with 10 belongs to a natural person: its digits 3 to 10 are the person's DNI.",
    )

    @api.depends("vat", "l10n_latam_identification_type_id")
    def _compute_ruc_dni(self):
        for partner in self:
            partner.ruc_dni = (partner.customs_document_code == dn.PE_RUC and dn.ruc_to_dni(partner.vat)) or False

    @api.model
    def default_get(self, fields_list):
        # Odoo's create() asks default_get once per row; a spreadsheet import
        # of thousands of rows asks the same question each time. Within one
        # import batch (context flag) the answer is computed once per
        # transaction and reused.
        if not self.env.context.get("customer_import_batch"):
            return self._customer_default_type(super().default_get(fields_list))
        cache = self.env.cr.cache.setdefault("clientes_aduanas_defaults", {})
        key = (tuple(fields_list), self.env.uid, self.env.context)
        if key not in cache:
            cache[key] = self._customer_default_type(super().default_get(fields_list))
        return dict(cache[key])

    @api.model
    def _commercial_fields(self):
        # Contacts inherit the commercial entity's classification, like vat.
        return super()._commercial_fields() + [
            "customer_category_id",
            "customer_class_id",
            "detraction_required",
        ]

    # ------------------------------------------------------------------
    # The pipeline: the only create / write / copy / unlink of res.partner
    # in this addon. Each step is a method of its concern's file, called in
    # this fixed order (each step sees the values the previous one returned):
    #
    # create  1 _sunat_create_vals            SUNAT: the status only from a lookup
    #         2 _customer_check_create        lifecycle: permissions, a new customer starts active
    #         3 _prepare_customer_vals        validation: normalise (registered customers only)
    #         4 _customer_check_unsaved_vals  validation: what the constraint cannot see
    #         5 _check_customer_duplicates    uniqueness: e-mail / document, one query
    #         6 _customer_set_keys            uniqueness: stored keys with the row
    #         7 ORM create, inside _customer_unique_guard (uniqueness) when it can hit an index
    #         8 _sunat_after_create           SUNAT: the status saved with (its own table)
    #         9 _customer_event("registered")
    # write   1 _sunat_write_vals             SUNAT: status only from a lookup, reset on a new RUC
    #         2 _customer_route_lifecycle     lifecycle: suspend / reactivate / un-register
    #         3 _customer_check_write         lifecycle: permissions
    #         4 _customer_prepare_write       validation + uniqueness (customers only)
    #         5 ORM write, inside _customer_unique_guard when it can hit an index
    #         6 _sunat_after_write            SUNAT: the status saved with or reset, event of a status cleared
    #         7 _customer_event("registered") for the partners just registered
    # copy    copy_data below (a copy waits for its own document and e-mail)
    # unlink  _customer_check_unlink          lifecycle: permissions, history kept
    #
    # Ordinary partners (not customers, not becoming one) go through the same
    # steps, each of which returns at once for them; the unique guard's
    # savepoint is only paid when the values can hit an index.
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        vals_list, sunat_sent = self._sunat_create_vals(vals_list)
        vals_list = self._customer_check_create(vals_list)
        if not any(vals.get("is_registered_customer") for vals in vals_list):
            with self._customer_unique_guard(vals_list, ordinary=True):
                records = super().create(vals_list)
            records._sunat_after_create(sunat_sent)
            return records
        vals_list = [
            self._prepare_customer_vals(dict(vals)) if vals.get("is_registered_customer") else vals
            for vals in vals_list
        ]
        registered = [vals for vals in vals_list if vals.get("is_registered_customer")]
        self._customer_check_unsaved_vals(registered)
        self._check_customer_duplicates(registered)
        self._customer_set_keys(registered)
        with self._customer_unique_guard(vals_list, registered):
            records = super().create(vals_list)
        if self.env.context.get("customer_vals_prevalidated"):
            # The skip covered these values only, not later writes.
            records = records.with_context(customer_vals_prevalidated=False)
        records._sunat_after_create(sunat_sent)
        records.filtered("is_registered_customer")._customer_event("registered")
        return records

    def write(self, vals):
        vals, sunat_pending = self._sunat_write_vals(vals)
        vals = self._customer_route_lifecycle(vals)
        if vals is None:
            # Nothing left for the partner row: a status the system sent
            # still has its own (a caller's is dropped, as an empty write).
            self._sunat_after_write(dict(sunat_pending, lookup=False))
            return True
        registering = self.browse()
        if vals.get("is_registered_customer"):
            registering = self.filtered(lambda p: not p.is_registered_customer)
        customers = self.filtered("is_registered_customer")
        self._customer_check_write(vals, customers, registering)
        if not (customers or registering):
            with self._customer_unique_guard([vals], ordinary=True):
                super().write(vals)
            self._sunat_after_write(sunat_pending)
            return True
        if registering or (len(customers) > 1 and {"vat", "notification_whatsapp"}.intersection(vals)):
            # Normalised against each customer's own type and country, and a
            # partner becoming a customer normalises what it already stores.
            groups = [(partner, partner in registering) for partner in self]
        else:
            groups = [(self, False)]
        for records, is_registering in groups:
            records_vals, target_vals, target_ids = records._customer_prepare_write(vals, is_registering)
            with records._customer_unique_guard([records_vals], target_vals, target_ids):
                super(ResPartner, records).write(records_vals)
        self._sunat_after_write(sunat_pending)
        registered = registering.filtered("is_registered_customer")
        if registered:
            registered._customer_event("registered")
        return True

    def _customer_prepare_write(self, vals, registering):
        """Normalised ``vals`` for customers that share one type and country
        (or one partner being registered), after the duplicate check; and
        what the unique-violation message needs."""
        vals = self._prepare_customer_write_vals(vals, registering)  # validation
        targets = self.filtered(lambda p: p.is_registered_customer or registering)
        target_vals = []
        if targets and {"email", "vat", "l10n_latam_identification_type_id", "is_registered_customer"}.intersection(
            vals
        ):
            target_vals = [{**partner._customer_record_vals(), **vals} for partner in targets]
            self._check_customer_duplicates(target_vals, exclude_ids=targets.ids)  # uniqueness
        return vals, target_vals, targets.ids

    def copy(self, default=None):
        return (
            super(ResPartner, self.with_context(customer_copy=LIFECYCLE))
            .copy(default=default)
            .with_context(customer_copy=None)
        )

    def copy_data(self, default=None):
        # A copy of a registered customer is a registered customer waiting
        # for its own document and e-mail, the two values that identify it;
        # it starts active, as every new customer (a suspended one is archived).
        vals_list = super().copy_data(default=default)
        for partner, vals in zip(self, vals_list, strict=True):
            if partner.is_registered_customer and not partner.parent_id:
                for field_name, value in {
                    "is_registered_customer": True,
                    "customer_incomplete": True,
                    "active": True,
                    "vat": False,
                    "email": False,
                    "billing_email": False,
                }.items():
                    if not (default and field_name in default):
                        vals[field_name] = value
                overflow = len(vals.get("name") or "") - schema.FIELD_MAX_LENGTHS["name"]
                if overflow > 0 and not (default and default.get("name")):
                    # Odoo's "(copy)" must not push a name at the bound over it.
                    vals["name"] = self.env._("%s (copy)", partner.name[:-overflow])
        return vals_list

    def unlink(self):
        self._customer_check_unlink()
        return super().unlink()
