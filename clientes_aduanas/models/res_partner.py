import json
import logging
import re

import phonenumbers
import psycopg2
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, email_normalize
from odoo.tools.sql import create_index, index_exists

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..tools import document_number as dn

_logger = logging.getLogger(__name__)

GROUP = "clientes_aduanas.clientes_aduanas_group_%s"

# Fields that make up a customer's master data: changing them on a registered
# customer needs the "edit" permission. Odoo's own bookkeeping writes
# (customer_rank, message_*, activity_*, commercial sync...) stay free.
CUSTOMER_MASTER_FIELDS = {
    "name",
    "vat",
    "l10n_latam_identification_type_id",
    "company_type",
    "is_company",
    "street",
    "street2",
    "city",
    "state_id",
    "zip",
    "country_id",
    "email",
    "phone",
    "mobile",
    "website",
    "comment",
    "customer_state",
    "customer_category_id",
    "customer_class_id",
    "detraction_required",
    "phone_is_whatsapp",
    "notification_emails",
    "notification_whatsapp",
    "billing_email",
    "customer_description",
    # Un-registering or archiving a customer outside the suspend button would
    # escape both the edit permission and the suspension bookkeeping.
    "is_registered_customer",
    "active",
}
# Fields whose values the registered-customer rules look at.
CUSTOMER_RULE_FIELDS = (
    "is_registered_customer",
    "name",
    "vat",
    "l10n_latam_identification_type_id",
    "street",
    "city",
    "state_id",
    "country_id",
    "email",
    "phone",
    "notification_emails",
    "notification_whatsapp",
    "billing_email",
    "parent_id",
)
EMAIL_INDEX = "res_partner_registered_customer_email_uniq"
DOCUMENT_INDEX = "res_partner_registered_customer_document_uniq"
OPERATIONS_CONTACT_INDEX = "res_partner_operations_contact_uniq"
# Writing one of these may hit one of the three unique indexes above.
UNIQUE_INDEX_FIELDS = {
    "email",
    "vat",
    "l10n_latam_identification_type_id",
    "is_registered_customer",
    "is_operations_contact",
    "parent_id",
    "active",
}

# Context value with which trusted server code (the spreadsheet import, right
# after validating the very same values) skips the customer constraint. An
# object, not a flag: a JSON-RPC caller can put ``True`` in its context but can
# never produce this instance.
PREVALIDATED = object()

# Plain addresses, the vast majority, that email_normalize() would accept
# unchanged: they skip its RFC 5322 parser, the slowest step of validating
# 10,000 customers in one create.
_PLAIN_EMAIL = re.compile(r"^[a-z0-9_%+\-]+(\.[a-z0-9_%+\-]+)*@[a-z0-9\-]+(\.[a-z0-9\-]+)+$")


def _split_list(value):
    return [item.strip() for item in (value or "").replace(";", ",").split(",") if item.strip()]


def _normalize_email(value, allow_display_name=False):
    """The lower-cased address of ``value``, or ``False`` when it is not
    exactly one valid e-mail address. ``"Ana <ana@x.pe>"`` is accepted (as
    ``ana@x.pe``) only with ``allow_display_name``."""
    value = (value or "").strip()
    lowered = value.lower()
    if _PLAIN_EMAIL.match(lowered):
        return lowered
    normalized = email_normalize(value, strict=True)
    if not normalized or (not allow_display_name and normalized != lowered):
        return False
    return normalized


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
    suspension_reason = fields.Char(copy=False, tracking=True)
    suspension_date = fields.Datetime(string="Suspended On", copy=False, readonly=True)
    suspended_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    customer_category_id = fields.Many2one(
        "res.partner.customer.category",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    customer_class_id = fields.Many2one(
        "res.partner.customer.class",
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
            return super().default_get(fields_list)
        cache = self.env.cr.cache.setdefault("clientes_aduanas_defaults", {})
        key = (tuple(fields_list), self.env.uid, self.env.context)
        if key not in cache:
            cache[key] = super().default_get(fields_list)
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
    # Database guarantees
    # ------------------------------------------------------------------
    def _auto_init(self):
        res = super()._auto_init()
        cr = self.env.cr
        # Partial indexes: only registered customers must be unique, so
        # installing on a database full of ordinary duplicate partners works.
        # Contacts (parent_id set) are left out by construction: a contact can
        # never be a registered customer (_check_registered_customer), and a
        # contact sharing the company's e-mail or its synced vat is normal.
        # Suspended customers (active = False) stay in: a new customer must
        # not reuse the e-mail or document of a suspended one.
        if not index_exists(cr, EMAIL_INDEX):
            cr.execute(
                SQL(
                    """CREATE UNIQUE INDEX %s ON res_partner (lower(btrim(email)))
                        WHERE is_registered_customer AND email IS NOT NULL AND btrim(email) != ''""",
                    SQL.identifier(EMAIL_INDEX),
                )
            )
        if not index_exists(cr, DOCUMENT_INDEX):
            cr.execute(
                SQL(
                    """CREATE UNIQUE INDEX %s ON res_partner (l10n_latam_identification_type_id, vat)
                        WHERE is_registered_customer AND vat IS NOT NULL""",
                    SQL.identifier(DOCUMENT_INDEX),
                )
            )
        if not index_exists(cr, OPERATIONS_CONTACT_INDEX):
            cr.execute(
                SQL(
                    """CREATE UNIQUE INDEX %s ON res_partner (parent_id)
                        WHERE is_operations_contact AND parent_id IS NOT NULL AND active""",
                    SQL.identifier(OPERATIONS_CONTACT_INDEX),
                )
            )
        # Exact e-mail look-ups (duplicate checks, import matching, RPC
        # searches on email_normalized) must not scan the partner table.
        if not index_exists(cr, "res_partner_lower_email_idx"):
            cr.execute("CREATE INDEX res_partner_lower_email_idx ON res_partner (lower(btrim(email)))")
        if not index_exists(cr, "res_partner_email_normalized_idx"):
            cr.execute("CREATE INDEX res_partner_email_normalized_idx ON res_partner (email_normalized)")
        # The Clientes search box looks for ilike '%text%' in the name, the
        # document number and the e-mail: trigram indexes, partial so that
        # writing ordinary partners pays nothing (the list's domain has
        # is_registered_customer = true, which lets PostgreSQL use them).
        if self.env.registry.has_trigram:
            for column in ("complete_name", "vat", "email"):
                create_index(
                    cr,
                    f"res_partner_customer_{column}_trgm_idx",
                    self._table,
                    [f"{column} gin_trgm_ops"],
                    method="gin",
                    where="is_registered_customer",
                )
        return res

    # ------------------------------------------------------------------
    # Validation shared by the constraints, the import and the lookup
    # ------------------------------------------------------------------
    @api.model
    def _document_error_message(self, err, type_name=None):
        """Spanish-translatable text for a :class:`DocumentNumberError`."""
        p = dict(err.params, type=type_name or self.env._("document"))
        # Built lazily: each text only gets the placeholders its rule provides.
        messages = {
            "empty": lambda: self.env._("The %(type)s number is required.", **p),
            "digits_only": lambda: self.env._("The %(type)s number must contain only digits.", **p),
            "length": lambda: self.env._("The %(type)s number must have %(length)s digits (it has %(actual)s).", **p),
            "ruc_prefix": lambda: self.env._(
                "A RUC must start with %(allowed)s; %(prefix)s is not a prefix SUNAT issues.", **p
            ),
            "check_digit": lambda: self.env._("The %(type)s number has a wrong check digit: please verify it.", **p),
            "hn_department": lambda: self.env._(
                "An identity card number starts with the department code 01 to 18; %(code)s is not one.", **p
            ),
            "hn_year": lambda: self.env._(
                "Digits 5 to 8 of an identity card number are the registration year; %(year)s is not plausible.",
                **p,
            ),
            "alphanumeric": lambda: self.env._(
                "The %(type)s number must have %(min)s to %(max)s letters or digits.", **p
            ),
        }
        if err.rule in messages:
            return messages[err.rule]()
        return self.env._("The %(type)s number is not valid.", **p)

    @api.model
    def _normalize_whatsapp(self, number, country_code):
        parsed = phonenumbers.parse(number, (country_code or "PE").upper())
        if not phonenumbers.is_possible_number(parsed) or not phonenumbers.is_valid_number(parsed):
            raise phonenumbers.NumberParseException(phonenumbers.NumberParseException.NOT_A_NUMBER, number)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    @api.model
    def _customer_validate_vals(self, vals, country=None):
        """Check the values of one registered customer without writing.

        :param dict vals: res.partner values as a form, an import row or a
            lookup would produce them (many2one as ids).
        :param country: res.country record of the customer, when ``vals`` has
            no ``country_id``.
        :return: ``(normalized_vals, errors)``, ``errors`` a list of
            ``(field_name, message)`` naming every problem found.
        """
        vals = dict(vals)
        errors = []
        if vals.get("country_id"):
            country = self.env["res.country"].browse(vals["country_id"])
        id_type = self.env["l10n_latam.identification.type"].browse(vals.get("l10n_latam_identification_type_id") or [])
        if not country and id_type.country_id:
            country = id_type.country_id
        honduras = bool(country) and country.code == "HN"
        if honduras and self._customer_person_type_missing(vals, country):
            message = self.env._("The person type (natural or legal) is required for customers in Honduras.")
            errors.append(("company_type", message))

        required = [
            ("name", self.env._("The name or company name is required.")),
            ("l10n_latam_identification_type_id", self.env._("The document type is required.")),
            ("street", self.env._("The address is required.")),
            ("email", self.env._("The e-mail is required.")),
            ("phone", self.env._("The phone number is required.")),
        ]
        if honduras:
            required += [
                ("city", self.env._("The city is required for customers in Honduras.")),
                ("state_id", self.env._("The department is required for customers in Honduras.")),
            ]
        for field_name, message in required:
            value = vals.get(field_name)
            if not value or (isinstance(value, str) and not value.strip()):
                errors.append((field_name, message))

        vat = vals.get("vat")
        if id_type or vat:
            try:
                vals["vat"] = dn.validate(id_type.customs_document_code, vat)
            except dn.DocumentNumberError as err:
                errors.append(("vat", self._document_error_message(err, id_type.name)))

        for field_name in ("email", "billing_email"):
            value = vals.get(field_name)
            if value and value.strip():
                if not _normalize_email(value):
                    errors.append(
                        (field_name, self.env._("%(email)s is not a valid e-mail address.", email=value.strip()))
                    )
                else:
                    vals[field_name] = value.strip()

        errors += self._validate_notification_lists(vals, country)
        return vals, errors

    @api.model
    def _customer_person_type_missing(self, vals, country=None):
        """Spec 004 requires "Persona Natural o Jurídica" for Honduras: the
        form always sends company_type, an import row or an RPC call must say
        it (is_company False is an answer, its absence is not)."""
        if vals.get("company_type") or "is_company" in vals:
            return False
        if vals.get("country_id"):
            country = self.env["res.country"].browse(vals["country_id"])
        if not country and vals.get("l10n_latam_identification_type_id"):
            country = (
                self.env["l10n_latam.identification.type"].browse(vals["l10n_latam_identification_type_id"]).country_id
            )
        return bool(country) and country.code == "HN"

    @api.model
    def _validate_notification_lists(self, vals, country):
        """Normalise ``notification_emails`` / ``notification_whatsapp`` of
        ``vals`` in place; return the errors, one per bad item."""
        errors = []
        if vals.get("notification_emails"):
            items = []
            for item in _split_list(vals["notification_emails"]):
                normalized = _normalize_email(item, allow_display_name=True)
                if not normalized:
                    errors.append(
                        (
                            "notification_emails",
                            self.env._("Notification e-mail %(email)s is not a valid address.", email=item),
                        )
                    )
                items.append(normalized or item)
            vals["notification_emails"] = ", ".join(items)

        if vals.get("notification_whatsapp"):
            items = []
            for item in _split_list(vals["notification_whatsapp"]):
                try:
                    items.append(self._normalize_whatsapp(item, country.code if country else None))
                except phonenumbers.NumberParseException:
                    errors.append(
                        (
                            "notification_whatsapp",
                            self.env._("WhatsApp number %(number)s is not a valid phone number.", number=item),
                        )
                    )
                    items.append(item)
            vals["notification_whatsapp"] = ", ".join(items)
        return errors

    @api.model
    def _find_duplicate_customers(self, vals_list, exclude_ids=()):
        """Existing registered customers (suspended included) sharing the
        e-mail or the document type and number of each values dict.

        One query for the whole batch. Returns a list, aligned with
        ``vals_list``, of ``(field_name, partner)`` or ``False``.
        """
        self.flush_model(["email", "vat", "l10n_latam_identification_type_id", "is_registered_customer"])
        matches = self._match_registered_customers(self.env.cr, vals_list, exclude_ids)
        Partner = self.sudo().with_context(active_test=False)
        return [match and (match[0], Partner.browse(match[1])) for match in matches]

    @api.model
    def _match_registered_customers_query(self, emails, vats, exclude_ids=()):
        # Two arms rather than one OR: with thousands of values PostgreSQL
        # scans the table for the OR, while each arm keeps its index.
        return SQL(
            """SELECT id, lower(btrim(email)), l10n_latam_identification_type_id, vat
                 FROM res_partner
                WHERE is_registered_customer AND lower(btrim(email)) = ANY(%(emails)s) AND id != ALL(%(exclude)s)
                UNION
               SELECT id, lower(btrim(email)), l10n_latam_identification_type_id, vat
                 FROM res_partner
                WHERE is_registered_customer AND vat = ANY(%(vats)s) AND id != ALL(%(exclude)s)
             ORDER BY id""",
            emails=list(emails),
            vats=list(vats),
            exclude=list(exclude_ids),
        )

    @api.model
    def _match_registered_customers(self, cr, vals_list, exclude_ids=()):
        """The query behind :meth:`_find_duplicate_customers`, on any cursor
        (also one that sees what other transactions have just committed).
        Returns, aligned with ``vals_list``, ``(field_name, partner_id)`` or
        ``False``; the document wins over the e-mail."""

        def keys(vals):
            email = (vals.get("email") or "").strip().lower() if isinstance(vals.get("email"), str) else ""
            vat = dn.normalize(vals.get("vat")) if vals.get("vat") else ""
            return email, (vals.get("l10n_latam_identification_type_id") or False, vat)

        all_keys = [keys(vals) for vals in vals_list]
        emails = {email for email, _document in all_keys} - {""}
        vats = {document[1] for _email, document in all_keys} - {""}
        if not emails and not vats:
            return [False] * len(vals_list)
        cr.execute(self._match_registered_customers_query(emails, vats, exclude_ids))
        by_email, by_document = {}, {}
        for partner_id, email, type_id, vat in cr.fetchall():
            if email:
                by_email.setdefault(email, partner_id)
            by_document.setdefault((type_id or False, vat), partner_id)
        result = []
        for email, document in all_keys:
            if document[1] and document in by_document:
                result.append(("vat", by_document[document]))
            elif email and email in by_email:
                result.append(("email", by_email[email]))
            else:
                result.append(False)
        return result

    @api.model
    def _duplicate_message(self, field_name, partner):
        """Spec 000's "Ya existe un cliente con ese email: <name>"; ``partner``
        is a record or, from another transaction, its name."""
        name = partner if isinstance(partner, str) else partner.display_name
        if field_name == "email":
            return self.env._("A customer with this e-mail already exists: %(name)s", name=name)
        return self.env._("A customer with this document type and number already exists: %(name)s", name=name)

    @api.model
    def _check_customer_duplicates(self, vals_list, exclude_ids=()):
        """Refuse values that repeat, among themselves or against the
        database, the e-mail or the document of a registered customer. One
        query per batch, before writing, so the message can name the
        existing customer; the unique indexes remain the guarantee against
        concurrent transactions."""
        seen_email, seen_document = {}, {}
        for vals in vals_list:
            email = (vals.get("email") or "").strip().lower()
            document = (vals.get("l10n_latam_identification_type_id"), vals.get("vat"))
            if email and email in seen_email:
                raise ValidationError(
                    self.env._("Two customers in the same operation share the e-mail %(email)s.", email=email)
                )
            if document[1] and document in seen_document:
                raise ValidationError(
                    self.env._("Two customers in the same operation share the document %(vat)s.", vat=document[1])
                )
            seen_email[email] = seen_document[document] = True
        for duplicate in self._find_duplicate_customers(vals_list, exclude_ids=exclude_ids):
            if duplicate:
                raise ValidationError(self._duplicate_message(*duplicate))

    def _customer_record_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "l10n_latam_identification_type_id": self.l10n_latam_identification_type_id.id,
            "vat": self.vat,
            "street": self.street,
            "city": self.city,
            "state_id": self.state_id.id,
            "country_id": self.country_id.id,
            "company_type": self.company_type,
            "email": self.email,
            "phone": self.phone,
            "billing_email": self.billing_email,
            "notification_emails": self.notification_emails,
            "notification_whatsapp": self.notification_whatsapp,
        }

    @api.constrains(*CUSTOMER_RULE_FIELDS)
    def _check_registered_customer(self):
        customers = self.filtered("is_registered_customer")
        if self.env.context.get("customer_vals_prevalidated") is PREVALIDATED:
            # The spreadsheet import ran _customer_validate_vals on exactly
            # these values moments ago (its preview); checking them twice
            # would only double the cost of a 10,000-row import.
            return
        for partner in customers:
            if partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s is a contact of another customer and cannot be a registered customer itself.",
                        name=partner.display_name,
                    )
                )
            normalized, errors = self._customer_validate_vals(partner._customer_record_vals())
            if errors:
                raise ValidationError(
                    self.env._("Customer %(name)s:", name=partner.display_name or "")
                    + "\n"
                    + "\n".join(f"- {message}" for _field, message in errors)
                )

    @api.constrains("is_operations_contact", "parent_id", "active")
    def _check_single_operations_contact(self):
        parents = self.filtered(lambda p: p.is_operations_contact and p.parent_id).parent_id
        if not parents:
            return
        groups = self._read_group(
            [("parent_id", "in", parents.ids), ("is_operations_contact", "=", True)],
            ["parent_id"],
            ["__count"],
        )
        for parent, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "%(name)s already has a main operations contact: uncheck it there first.",
                        name=parent.display_name,
                    )
                )

    # Decorated again: an override without @api.constrains is no constraint
    # at all, which would switch base_vat's check off for every partner.
    @api.constrains("vat", "country_id", "l10n_latam_identification_type_id")
    def check_vat(self):
        # base_vat (a dependency of l10n_latam_base) checks a number with the
        # validator of the partner's country (python-stdnum's, which rejects
        # SUNAT's RUC prefix 16, or a foreign one for a Peruvian customer
        # located abroad); our own rules validate registered customers.
        governed = self.filtered(lambda p: p.is_registered_customer and p.customs_document_code)
        return super(ResPartner, self - governed).check_vat()

    # ------------------------------------------------------------------
    # Permissions (view / create / edit / delete registered customers)
    # ------------------------------------------------------------------
    def _check_customer_permission(self, operation):
        if self.env.su:
            return
        group = {"create": "create", "write": "edit", "unlink": "delete"}[operation]
        if not self.env.user.has_group(GROUP % group):
            messages = {
                "create": self.env._("You are not allowed to register customers (permission: Customers: Create)."),
                "write": self.env._("You are not allowed to edit registered customers (permission: Customers: Edit)."),
                "unlink": self.env._(
                    "You are not allowed to delete registered customers (permission: Customers: Delete)."
                ),
            }
            raise AccessError(messages[operation])

    # ------------------------------------------------------------------
    # ORM overrides
    # ------------------------------------------------------------------
    @api.model
    def _prepare_customer_vals(self, vals, country=None):
        """Normalise what can be normalised before saving (document number,
        e-mail lists, WhatsApp numbers) and infer the person type from a RUC;
        what stays invalid is reported by the constraint. ``country``: the
        customer's, when ``vals`` does not change it (write)."""
        type_id = vals.get("l10n_latam_identification_type_id")
        id_type = self.env["l10n_latam.identification.type"].browse(type_id or [])
        code = id_type.customs_document_code
        if vals.get("vat"):
            try:
                vals["vat"] = dn.validate(code, vals["vat"])
            except dn.DocumentNumberError:
                vals["vat"] = dn.normalize(vals["vat"]) or vals["vat"]
        if code == dn.PE_RUC and "is_company" not in vals and "company_type" not in vals and vals.get("vat"):
            inferred = dn.ruc_company_type(vals["vat"])
            if inferred:
                vals["is_company"] = inferred == "company"
        for field_name in ("email", "billing_email"):
            if isinstance(vals.get(field_name), str):
                vals[field_name] = vals[field_name].strip()
        if vals.get("notification_emails"):
            vals["notification_emails"] = ", ".join(
                _normalize_email(item, allow_display_name=True) or item
                for item in _split_list(vals["notification_emails"])
            )
        if vals.get("notification_whatsapp"):
            # Local numbers are read in the customer's country, as the
            # constraint will check them.
            if vals.get("country_id"):
                country = self.env["res.country"].browse(vals["country_id"])
            country = country or id_type.country_id
            items = []
            for item in _split_list(vals["notification_whatsapp"]):
                try:
                    items.append(self._normalize_whatsapp(item, country.code if country else None))
                except phonenumbers.NumberParseException:
                    items.append(item)
            vals["notification_whatsapp"] = ", ".join(items)
        return vals

    def _committed_duplicate_name(self, field_name, vals_list, exclude_ids=()):
        """Name of the customer another transaction has just committed with
        the same e-mail or document. This transaction cannot see it (Odoo
        cursors read a REPEATABLE READ snapshot), so a fresh, short-lived
        cursor asks; on any database trouble the caller falls back to a
        message without the name."""
        try:
            with self.env.registry.cursor() as cr:
                matches = [m for m in self._match_registered_customers(cr, vals_list, exclude_ids) if m]
                ids = [m[1] for m in matches if m[0] == field_name] or [m[1] for m in matches]
                if not ids:
                    return None
                cr.execute("SELECT complete_name FROM res_partner WHERE id = %s", [ids[0]])
                row = cr.fetchone()
                return row and row[0]
        except psycopg2.Error:
            _logger.warning("Could not name the customer behind a duplicate", exc_info=True)
            return None

    def _raise_friendly_unique_violation(self, exc, vals_list=None, exclude_ids=()):
        constraint = exc.diag.constraint_name
        if constraint in (EMAIL_INDEX, DOCUMENT_INDEX) and vals_list:
            field_name = "email" if constraint == EMAIL_INDEX else "vat"
            name = self._committed_duplicate_name(field_name, vals_list, exclude_ids)
            if name:
                raise ValidationError(self._duplicate_message(field_name, name)) from exc
        if constraint == EMAIL_INDEX:
            raise ValidationError(
                self.env._(
                    "A customer with this e-mail already exists (it may have just been registered by another user)."
                )
            ) from exc
        if constraint == DOCUMENT_INDEX:
            raise ValidationError(
                self.env._(
                    "A customer with this document type and number already exists "
                    "(it may have just been registered by another user)."
                )
            ) from exc
        if constraint == OPERATIONS_CONTACT_INDEX:
            raise ValidationError(self.env._("A customer can have only one main operations contact.")) from exc
        raise exc

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("is_registered_customer") for vals in vals_list):
            self._check_customer_permission("create")
            # Normalised copies: the caller's dicts stay as they were.
            vals_list = [
                self._prepare_customer_vals(dict(vals)) if vals.get("is_registered_customer") else vals
                for vals in vals_list
            ]
            registered = [vals for vals in vals_list if vals.get("is_registered_customer")]
            for vals in registered:
                if not vals.get("name") or self._customer_person_type_missing(vals):
                    # What the constraint cannot see on the saved record (the
                    # database refuses a nameless partner; a saved partner
                    # always has a person type): list all this row's errors now.
                    _vals, errors = self._customer_validate_vals(vals)
                    raise ValidationError("\n".join(message for _field, message in errors))
            self._check_customer_duplicates(registered)
            try:
                with self.env.cr.savepoint():
                    records = super().create(vals_list)
            except (pg_errors.UniqueViolation, pg_errors.ExclusionViolation) as exc:
                self._raise_friendly_unique_violation(exc, registered)
            if self.env.context.get("customer_vals_prevalidated"):
                # The skip covered these values only, not later writes.
                records = records.with_context(customer_vals_prevalidated=False)
            return records
        if any(vals.get("is_operations_contact") for vals in vals_list):
            try:
                with self.env.cr.savepoint():
                    return super().create(vals_list)
            except pg_errors.UniqueViolation as exc:
                self._raise_friendly_unique_violation(exc)
        return super().create(vals_list)

    def _changes_master_data(self, vals):
        """Whether ``vals`` really changes a master-data field of these
        customers. The web client re-sends unchanged values right after a
        create (e.g. ``is_company`` from the person-type radio): that must
        not need the Edit permission of a user who may only create."""
        for name in CUSTOMER_MASTER_FIELDS.intersection(vals):
            field = self._fields[name]
            for partner in self:
                try:
                    new = field.convert_to_record(field.convert_to_cache(vals[name], partner), partner)
                except (ValueError, TypeError):
                    return True
                if new != partner[name] and (new or partner[name]):
                    return True
        return False

    def write(self, vals):
        registering = vals.get("is_registered_customer") and self.filtered(lambda p: not p.is_registered_customer)
        if registering:
            registering._check_customer_permission("create")
        customers = self.filtered("is_registered_customer")
        if customers and customers._changes_master_data(vals):
            customers._check_customer_permission("write")
        # Contacts: moving or unarchiving a main operations contact can hit
        # its unique index as well as ticking the box.
        operations_contact = vals.get("is_operations_contact") or (
            ("active" in vals or "parent_id" in vals) and any(self.mapped("is_operations_contact"))
        )
        if not (customers or registering or operations_contact):
            return super().write(vals)
        if customers or registering:
            if len(self) > 1 and ("vat" in vals or "notification_whatsapp" in vals):
                # Normalised against each customer's own type and country.
                for partner in self:
                    partner.write(vals)
                return True
            vals = dict(vals)
            country = self.country_id or self.l10n_latam_identification_type_id.country_id
            if "vat" in vals and "l10n_latam_identification_type_id" not in vals:
                vals["l10n_latam_identification_type_id"] = self.l10n_latam_identification_type_id.id
                vals = self._prepare_customer_vals(vals, country)
                vals.pop("l10n_latam_identification_type_id")
            else:
                vals = self._prepare_customer_vals(vals, country)
        targets = customers | (registering or self.browse())
        target_vals = []
        if targets and {"email", "vat", "l10n_latam_identification_type_id", "is_registered_customer"}.intersection(
            vals
        ):
            target_vals = [{**partner._customer_record_vals(), **vals} for partner in targets]
            self._check_customer_duplicates(target_vals, exclude_ids=targets.ids)
        if UNIQUE_INDEX_FIELDS.intersection(vals):
            try:
                with self.env.cr.savepoint():
                    res = super().write(vals)
            except (pg_errors.UniqueViolation, pg_errors.ExclusionViolation) as exc:
                self._raise_friendly_unique_violation(exc, target_vals, targets.ids)
        else:
            res = super().write(vals)
        if "active" in vals and "customer_state" not in vals and customers:
            customers._sync_customer_state_with_active()
        return res

    def _sync_customer_state_with_active(self):
        """Odoo's own Archive / Unarchive actions on a registered customer
        suspend / reactivate it, so that "suspended" always means
        customer_state suspended and archived (and the reverse)."""
        to_suspend = self.filtered(lambda p: not p.active and p.customer_state != "suspended")
        to_reactivate = self.filtered(lambda p: p.active and p.customer_state == "suspended")
        if to_suspend:
            to_suspend.write(
                {
                    "customer_state": "suspended",
                    "suspension_date": fields.Datetime.now(),
                    "suspended_by_id": self.env.user.id,
                }
            )
        if to_reactivate:
            to_reactivate.write(
                {
                    "customer_state": "active",
                    "suspension_reason": False,
                    "suspension_date": False,
                    "suspended_by_id": False,
                }
            )

    def unlink(self):
        if self.filtered("is_registered_customer"):
            self._check_customer_permission("unlink")
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            # Here rather than in an @api.ondelete method: sale's unlink()
            # deletes the partner's draft quotations before the ondelete
            # checks run, and they are history too.
            self._unlink_except_customer_with_operations()
        return super().unlink()

    # ------------------------------------------------------------------
    # Delete protection: suspend instead of deleting a customer with history
    # ------------------------------------------------------------------
    def _customer_operation_counts(self):
        """{partner id: {label: count}} of the documents that forbid deleting
        each partner of ``self``: its own and those of its contacts (a
        customer's quotation is often addressed to one of its contacts). One
        grouped query per source for the whole recordset."""
        sources = [
            ("sale.order", self.env._("quotations/sale orders")),
            ("account.move", self.env._("invoices")),
            ("account.payment", self.env._("payments")),
            # Built by the customs-file feature; absent in a partial install.
            ("customs.file", self.env._("customs files")),
        ]
        by_document_partner = {}
        # Contacts resolved once (archived ones too), not once per source.
        partner_ids = self.with_context(active_test=False).search([("id", "child_of", self.ids)]).ids
        for model, label in sources:
            if model not in self.env:
                continue
            Model = self.env[model].sudo().with_context(active_test=False)
            domain = [("partner_id", "in", partner_ids)]
            if model == "account.move":
                # Journal entries are not invoices; payments count on their own.
                domain.append(("move_type", "!=", "entry"))
            for partner, count in Model._read_group(domain, ["partner_id"], ["__count"]):
                found = by_document_partner.setdefault(partner, {})
                found[label] = found.get(label, 0) + count
        counts, checked_ids = {}, set(self.ids)
        for document_partner, found in by_document_partner.items():
            # Credit the documents to the partner itself and its ancestors
            # among those being checked (res.partner has no parent_path).
            ancestor = document_partner
            while ancestor:
                if ancestor.id in checked_ids:
                    total = counts.setdefault(ancestor.id, {})
                    for label, count in found.items():
                        total[label] = total.get(label, 0) + count
                ancestor = ancestor.parent_id
        return counts

    def _unlink_except_customer_with_operations(self):
        governed = self.with_context(active_test=False).filtered(
            lambda p: p.is_registered_customer or p.parent_id.is_registered_customer
        )
        if not governed:
            return
        counts = governed._customer_operation_counts()
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
    # Operations: suspended customers cannot be used
    # ------------------------------------------------------------------
    def _check_can_be_used_in_operation(self):
        """Raise when a partner (or the company it belongs to) is a
        suspended registered customer. Reads archived records on purpose:
        the id may come straight from an import or an RPC call."""
        commercial = self.sudo().with_context(active_test=False).commercial_partner_id
        suspended = commercial.filtered(lambda p: p.is_registered_customer and p.customer_state == "suspended")
        if suspended:
            raise UserError(
                self.env._(
                    "Customer %(name)s is suspended and cannot be used for new operations. Reactivate it first.",
                    name=suspended[0].display_name,
                )
            )

    def _get_billing_contact(self):
        """The invoice-address contact carrying the billing e-mail, created
        on first use so that invoice mails reach a partner with that address."""
        self.ensure_one()
        email = email_normalize(self.billing_email)
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

    # ------------------------------------------------------------------
    # Operations history (issue 4): counts per commercial customer, smart
    # buttons and the "Historial de operaciones" tab. Quotations reuse
    # sale's own sale_order_count / action_view_sale_order.
    # ------------------------------------------------------------------
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

    def _operation_count_sources(self):
        """count field -> (model, path to the commercial customer, other
        conditions). The smart button opens the list with the same domain,
        so the number and the list always agree."""
        return {
            "customs_file_count": ("customs.file", "commercial_partner_id", []),
            "customer_invoice_count": (
                "account.move",
                "commercial_partner_id",
                [("move_type", "in", ("out_invoice", "out_refund"))],
            ),
            "customer_payment_count": (
                "account.payment",
                "partner_id.commercial_partner_id",
                [("partner_type", "=", "customer")],
            ),
        }

    def _compute_operation_counts(self):
        """One grouped read per source, whatever the number of partners
        shown or documents they have; documents of contacts count for the
        commercial customer. Record rules apply (_read_group); a model the
        user cannot read counts 0. The number of queries does not depend on
        the data either (no lazy fetch of the grouped partners)."""
        commercial_ids = self.commercial_partner_id.ids
        counts = {}
        for field_name, (model, path, extra) in self._operation_count_sources().items():
            per_partner = counts[field_name] = {}
            Model = self.env[model]
            if not commercial_ids or not Model.has_access("read"):
                continue
            if path == "commercial_partner_id":
                groups = Model._read_group([(path, "in", commercial_ids), *extra], [path], ["__count"])
                groups = [(partner.id, count) for partner, count in groups]
            else:
                # No stored commercial partner (payments): group by partner
                # and fold the contacts into their customer.
                contacts = (
                    self.env["res.partner"]
                    .with_context(active_test=False)
                    .search_fetch([("commercial_partner_id", "in", commercial_ids)], ["commercial_partner_id"])
                )
                commercial_of = {contact.id: contact.commercial_partner_id.id for contact in contacts}
                groups = Model._read_group([("partner_id", "in", contacts.ids), *extra], ["partner_id"], ["__count"])
                groups = [(commercial_of[partner.id], count) for partner, count in groups]
            for key, count in groups:
                per_partner[key] = per_partner.get(key, 0) + count
        for partner in self:
            key = partner.commercial_partner_id.id
            for field_name, per_partner in counts.items():
                partner[field_name] = per_partner.get(key, 0)

    def _action_open_operations(self, xmlid, count_field, context=None):
        self.ensure_one()
        _model, path, extra = self._operation_count_sources()[count_field]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        return action | {
            "domain": [(path, "=", self.commercial_partner_id.id), *extra],
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

    # ------------------------------------------------------------------
    # Document lookup ("lupa")
    # ------------------------------------------------------------------
    # A customer not saved yet cannot use an object button: the web client
    # saves first, and the required name (what the lookup is meant to fill)
    # blocks it. This toggle (widget boolean_icon) runs the lookup as an
    # onchange instead; it is never stored.
    document_lookup_request = fields.Boolean(
        string="Look Up Document",
        store=False,
        help="Looks the document number up in the configured sources and fills the fields that are still empty.",
    )

    @api.onchange("document_lookup_request")
    def _onchange_document_lookup_request(self):
        if not self.document_lookup_request:
            return None
        self.document_lookup_request = False
        self._check_customer_permission("write" if self._origin else "create")
        code = self.customs_document_code
        title = self.env._("Document lookup")
        try:
            result = self.env["document.lookup.provider"]._lookup(code, self.vat)
        except UserError as err:
            return {"warning": {"title": title, "message": err.args[0]}}
        filled, kept = [], []
        for field_name, value in self._lookup_result_to_vals(result, code).items():
            field = self._fields[field_name]
            current = self[field_name]
            # The person type follows from the RUC itself; other fields keep
            # what the user already typed.
            if current and field.type != "boolean":
                if (current.id if field.type == "many2one" else current) != value:
                    kept.append(f"{field._description_string(self.env)} ({self._lookup_display(field, value)})")
                continue
            self[field_name] = value
            if field.type != "boolean":
                filled.append(field._description_string(self.env))
        lines = [
            self.env._("Source: %(provider)s.", provider=result.get("provider")),
            self.env._(
                "Taxpayer status: %(state)s; address condition: %(condition)s.",
                state=result.get("taxpayer_state") or "-",
                condition=result.get("taxpayer_condition") or "-",
            ),
        ]
        if filled:
            lines.append(self.env._("Filled in: %(fields)s.", fields=", ".join(filled)))
        if kept:
            lines.append(self.env._("Your values were kept for: %(fields)s.", fields="; ".join(kept)))
        warning = self.env["document.lookup.provider"]._taxpayer_warning(
            result.get("taxpayer_state"), result.get("taxpayer_condition")
        )
        if warning:
            # Visible on purpose: invoicing a taxpayer that is not ACTIVO / HABIDO has consequences.
            return {"warning": {"title": warning, "message": "\n".join(lines), "type": "dialog"}}
        return {"warning": {"title": title, "message": "\n".join(lines), "type": "notification"}}

    def _lookup_display(self, field, value):
        if field.type == "many2one":
            return self.env[field.comodel_name].browse(value).display_name or ""
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return str(value)

    @api.model
    def _lookup_result_to_vals(self, result, code):
        """res.partner values from a lookup result (see document.lookup.provider)."""
        peru = self.env.ref("base.pe")
        vals = {"name": result.get("name"), "street": result.get("street") or False, "country_id": peru.id}
        ubigeo = (result.get("ubigeo") or "").strip()
        state = self.env["res.country.state"]
        if len(ubigeo) == 6 and ubigeo.isdigit():
            state = state.search([("country_id", "=", peru.id), ("code", "=", ubigeo[:2])], limit=1)
        if not state and result.get("state_name"):
            state = state.search([("country_id", "=", peru.id), ("name", "=ilike", result["state_name"])], limit=1)
        if state:
            vals["state_id"] = state.id
        city = result.get("district") or result.get("province")
        if city:
            vals["city"] = city.title()
        if "l10n_pe.res.city.district" in self.env and len(ubigeo) == 6:
            # Peruvian localization installed: its cities and districts carry the ubigeo.
            district = self.env["l10n_pe.res.city.district"].search([("code", "=", ubigeo)], limit=1)
            if district:
                vals["l10n_pe_district"] = district.id
                vals["city_id"] = district.city_id.id
                vals["city"] = district.city_id.name
        if code == dn.PE_RUC:
            vals["is_company"] = dn.ruc_company_type(result.get("vat")) == "company"
        return {key: value for key, value in vals.items() if value not in (None, "")}

    def action_lookup_document(self):
        """The search button next to the document number (spec 000)."""
        self.ensure_one()
        self._check_customer_permission("write")
        code = self.customs_document_code
        try:
            result = self.env["document.lookup.provider"]._lookup(code, self.vat)
        except UserError as err:
            # Spec 000: a failed lookup never blocks; the user types the data.
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Document lookup"),
                    "message": err.args[0],
                    "type": "warning",
                    "sticky": False,
                },
            }
        new_vals = self._lookup_result_to_vals(result, code)
        lines = []
        for field_name, value in new_vals.items():
            field = self._fields[field_name]
            current = self[field_name]
            if field.type == "many2one":
                current_display = current.display_name or ""
                same = current.id == value
            elif field.type == "boolean":
                current_display = self._lookup_display(field, current)
                same = current == value
            else:
                current_display = "" if current is False else str(current)
                same = current == value
            new_display = self._lookup_display(field, value)
            if same:
                continue
            lines.append(
                {
                    "field_name": field_name,
                    "label": field._description_string(self.env),
                    "current_display": current_display,
                    "new_display": new_display,
                    "new_value": json.dumps(value),
                    "apply": True,
                }
            )
        wizard = self.env["document.lookup.wizard"].create(
            {
                "partner_id": self.id,
                "provider": result.get("provider"),
                "taxpayer_state": result.get("taxpayer_state"),
                "taxpayer_condition": result.get("taxpayer_condition"),
                "line_ids": [Command.create(line) for line in lines],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Document Lookup"),
            "res_model": "document.lookup.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_register_customer(self):
        self.ensure_one()
        self.write({"is_registered_customer": True, "customer_rank": max(self.customer_rank, 1)})
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
        now = fields.Datetime.now()
        self.write(
            {
                "customer_state": "suspended",
                "active": False,
                "suspension_reason": reason,
                "suspension_date": now,
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

    def action_reactivate(self):
        self._check_customer_permission("write")
        self.write(
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
        return True

    # ------------------------------------------------------------------
    # Onchanges (form)
    # ------------------------------------------------------------------
    @api.onchange("vat", "l10n_latam_identification_type_id")
    def _onchange_customer_document(self):
        if not self.is_registered_customer or not self.vat:
            return None
        code = self.customs_document_code
        try:
            self.vat = dn.validate(code, self.vat)
        except dn.DocumentNumberError as err:
            return {
                "warning": {
                    "title": self.env._("Document number"),
                    "message": self._document_error_message(err, self.l10n_latam_identification_type_id.name),
                }
            }
        if code == dn.PE_RUC:
            self.company_type = dn.ruc_company_type(self.vat) or self.company_type
        # A person with RUC 10 + DNI + check digit is one customer, whichever
        # document was registered first: point at the existing one.
        if code == dn.PE_RUC and dn.ruc_to_dni(self.vat):
            other_code, other_vat = dn.PE_DNI, dn.ruc_to_dni(self.vat)
        elif code == dn.PE_DNI:
            other_code, other_vat = dn.PE_RUC, dn.dni_to_ruc(self.vat)
        else:
            return None
        other_type = self.env["l10n_latam.identification.type"]._get_by_document_code(other_code)
        person = self.with_context(active_test=False).search(
            [
                ("is_registered_customer", "=", True),
                ("l10n_latam_identification_type_id", "=", other_type.id),
                ("vat", "=", other_vat),
                ("id", "!=", self._origin.id or 0),
            ],
            limit=1,
        )
        if not person:
            return None
        if code == dn.PE_RUC:
            message = self.env._(
                "This RUC belongs to the person with DNI %(dni)s, already registered as %(name)s. "
                "Update that customer's document to this RUC instead of creating a duplicate.",
                dni=other_vat,
                name=person.display_name,
            )
        else:
            message = self.env._(
                "The person with this DNI is already registered with RUC %(ruc)s as %(name)s: "
                "use that customer instead of creating a duplicate.",
                ruc=other_vat,
                name=person.display_name,
            )
        return {"warning": {"title": self.env._("Customer already registered"), "message": message}}
