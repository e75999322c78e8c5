"""res.partner: normalisation of a registered customer's values and the
customer rules (required data per country, governed document types, document
number per type, e-mail, notification lists)."""

from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import contact_channel as ch
from ..tools import customer_schema as schema
from ..tools import document_number as dn
from .res_partner import CUSTOMER_RULE_FIELDS, PREVALIDATED

# What a partner being registered already stores and must store normalised.
STORED_NORMALISED_FIELDS = ("vat", "email", "billing_email", "notification_emails", "notification_whatsapp")


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
    def _customer_country(self, vals, country=None):
        """The customer's country from ``vals``, else ``country``, else the
        document type's."""
        if vals.get("country_id"):
            return self.env["res.country"].browse(vals["country_id"])
        if country:
            return country
        type_id = vals.get("l10n_latam_identification_type_id")
        return self.env["l10n_latam.identification.type"].browse(type_id or []).country_id

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
        country = self._customer_country(vals, country)
        id_type = self.env["l10n_latam.identification.type"].browse(vals.get("l10n_latam_identification_type_id") or [])
        honduras = bool(country) and country.code == "HN"
        if honduras and self._customer_person_type_missing(vals, country):
            message = self.env._("The person type (natural or legal) is required for customers in Honduras.")
            errors.append(("company_type", message))

        # A duplicated customer waits for its own document and e-mail.
        incomplete = vals.get("customer_incomplete")
        required = [
            ("name", self.env._("The name or company name is required.")),
            ("l10n_latam_identification_type_id", self.env._("The document type is required.")),
            ("street", self.env._("The address is required.")),
            ("phone", self.env._("The phone number is required.")),
        ]
        if not incomplete:
            required.append(("email", self.env._("The e-mail is required.")))
        if honduras:
            required += [
                ("city", self.env._("The city is required for customers in Honduras.")),
                ("state_id", self.env._("The department is required for customers in Honduras.")),
            ]
        for field_name, message in required:
            value = vals.get(field_name)
            if not value or (isinstance(value, str) and not value.strip()):
                errors.append((field_name, message))

        city = self.env["res.city"].browse(vals.get("city_id") or [])
        if honduras and city and (city.country_id != country or city.state_id.id != vals.get("state_id")):
            message = self.env._(
                "%(city)s is not a municipality of %(state)s.",
                city=city.name,
                state=self.env["res.country.state"].browse(vals.get("state_id") or []).name or country.name,
            )
            errors.append(("city_id", message))

        for field_name, limit in schema.FIELD_MAX_LENGTHS.items():
            value = vals.get(field_name)
            if isinstance(value, str) and len(value) > limit:
                message = self.env._(
                    "At most %(max)s characters for %(field)s (this value has %(length)s).",
                    max=limit,
                    field=self._fields[field_name]._description_string(self.env),
                    length=len(value),
                )
                errors.append((field_name, message))

        if id_type and not id_type.customs_document_code:
            errors.append(("l10n_latam_identification_type_id", self._customer_ungoverned_type_message(id_type)))
        vat = vals.get("vat")
        if (id_type.customs_document_code and not incomplete) or vat:
            try:
                vals["vat"] = dn.validate(id_type.customs_document_code, vat)
            except dn.DocumentNumberError as err:
                errors.append(("vat", self._document_error_message(err, id_type.name)))

        for field_name in ("email", "billing_email"):
            value = ch.clean(vals.get(field_name))
            if value:
                if not ch.normalize_email(value):
                    errors.append((field_name, self.env._("%(email)s is not a valid e-mail address.", email=value)))
                else:
                    vals[field_name] = value

        errors += self._validate_notification_lists(vals, country)
        return vals, errors

    @api.model
    def _customer_ungoverned_type_message(self, id_type):
        governed = self.env["l10n_latam.identification.type"].search(
            self.env["l10n_latam.identification.type"]._customer_governed_domain()
        )
        return self.env._(
            "The document type %(type)s has no validation rule for registered customers: choose one of %(types)s.",
            type=id_type.name,
            types=", ".join(governed.mapped("name")),
        )

    @api.model
    def _customer_person_type_missing(self, vals, country=None):
        """Spec 004 requires "Persona Natural o Jurídica" for Honduras: the
        form always sends company_type, an import row or an RPC call must say
        it (is_company False is an answer, its absence is not)."""
        if vals.get("company_type") or "is_company" in vals:
            return False
        country = self._customer_country(vals, country)
        return bool(country) and country.code == "HN"

    @api.model
    def _validate_notification_lists(self, vals, country):
        """Normalise ``notification_emails`` / ``notification_whatsapp`` of
        ``vals`` in place; return the errors, one per bad item."""
        errors = []
        if vals.get("notification_emails"):
            vals["notification_emails"], invalid = ch.normalize_email_list(vals["notification_emails"])
            errors += [
                ("notification_emails", self.env._("Notification e-mail %(email)s is not a valid address.", email=item))
                for item in invalid
            ]
        if vals.get("notification_whatsapp"):
            vals["notification_whatsapp"], invalid = ch.normalize_phone_list(
                vals["notification_whatsapp"], country.code if country else None
            )
            errors += [
                (
                    "notification_whatsapp",
                    self.env._("WhatsApp number %(number)s is not a valid phone number.", number=item),
                )
                for item in invalid
            ]
        return errors

    @api.model
    def _prepare_customer_vals(self, vals, country=None):
        """Normalise what can be normalised before saving (document number,
        e-mails, e-mail lists, WhatsApp numbers) and infer the person type
        from a RUC; what stays invalid is reported by the constraint.
        ``country``: the customer's, when ``vals`` does not change it."""
        type_id = vals.get("l10n_latam_identification_type_id")
        id_type = self.env["l10n_latam.identification.type"].browse(type_id or [])
        code = id_type.customs_document_code
        if vals.get("vat"):
            vals["vat"] = dn.key(code, vals["vat"]) or vals["vat"]
        if "is_company" not in vals and "company_type" not in vals:
            inferred = dn.document_company_type(code, vals.get("vat"))
            if inferred:
                vals["is_company"] = inferred == "company"
        for field_name in ("email", "billing_email"):
            if isinstance(vals.get(field_name), str):
                vals[field_name] = ch.clean(vals[field_name])
        if vals.get("notification_emails"):
            vals["notification_emails"] = ch.normalize_email_list(vals["notification_emails"])[0]
        if vals.get("notification_whatsapp"):
            # Local numbers are read in the customer's country, as the
            # constraint will check them.
            country = self._customer_country(vals, country)
            vals["notification_whatsapp"] = ch.normalize_phone_list(
                vals["notification_whatsapp"], country.code if country else None
            )[0]
        return self._prepare_customer_city(vals, country)

    def _prepare_customer_city(self, vals, country=None):
        """A Honduran customer's municipality from its department's list:
        a chosen city gives its name (and department, as Odoo's address
        form does); a typed name is matched to the department's list
        (accents and case ignored) and, when it matches, written as the
        list spells it. An unmatched name stays free text, without a city."""
        if vals.get("city_id"):
            city = self.env["res.city"].browse(vals["city_id"])
            vals["city"] = city.name
            if not vals.get("state_id") and city.state_id:
                vals["state_id"] = city.state_id.id
            return vals
        name = vals.get("city")
        if "city" not in vals and "state_id" in vals and len(self) == 1:
            # A new department: the stored name is matched in it.
            name = self.city
        # An empty city_id is no choice: the form sends one with every new
        # partner, beside the name the user typed.
        if not isinstance(name, str):
            return vals
        country = self._customer_country(vals, country)
        if not country or country.code != "HN":
            return vals
        if "state_id" in vals:
            state = self.env["res.country.state"].browse(vals["state_id"] or [])
        else:
            state = self.state_id[:1]
        city = self.env["res.city"]._customer_match_city(country, state, name)
        vals["city_id"] = city.id
        if city:
            vals["city"] = city.name
        return vals

    def _prepare_customer_write_vals(self, vals, registering):
        """``vals`` normalised for these customers (one type and country); a
        partner being registered also normalises the values it stores."""
        stored = {}
        if registering:
            record = self.sudo()
            stored = {name: record[name] for name in STORED_NORMALISED_FIELDS if name not in vals and record[name]}
        work = {**stored, **vals}
        added_type = "l10n_latam_identification_type_id" not in work
        if added_type:
            work["l10n_latam_identification_type_id"] = self.l10n_latam_identification_type_id[:1].id
        country = self.country_id[:1] or self.l10n_latam_identification_type_id[:1].country_id
        work = self._prepare_customer_vals(work, country)
        if added_type:
            work.pop("l10n_latam_identification_type_id")
        for name, value in stored.items():
            if work.get(name) == value:
                work.pop(name)
        incomplete = self.filtered("customer_incomplete")
        if incomplete and all(work.get("vat", p.vat) and work.get("email", p.email) for p in incomplete):
            work["customer_incomplete"] = False
        return work

    @api.model
    def _customer_check_unsaved_vals(self, vals_list):
        """What the constraint cannot see on the saved record (the database
        refuses a nameless partner; a saved partner always has a person
        type): list all of a row's errors before creating."""
        for vals in vals_list:
            if not vals.get("name") or self._customer_person_type_missing(vals):
                _vals, errors = self._customer_validate_vals(vals)
                raise ValidationError("\n".join(message for _field, message in errors))

    def _customer_record_vals(self):
        self.ensure_one()
        # The rules read the confidential fields whoever saves the customer.
        record = self.sudo()
        return {
            "name": record.name,
            "l10n_latam_identification_type_id": record.l10n_latam_identification_type_id.id,
            "vat": record.vat,
            "street": record.street,
            "city": record.city,
            "city_id": record.city_id.id,
            "state_id": record.state_id.id,
            "country_id": record.country_id.id,
            "company_type": record.company_type,
            "email": record.email,
            "phone": record.phone,
            "billing_email": record.billing_email,
            "notification_emails": record.notification_emails,
            "notification_whatsapp": record.notification_whatsapp,
            "customer_incomplete": record.customer_incomplete,
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
            _normalized, errors = self._customer_validate_vals(partner._customer_record_vals())
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
    # Document type: governed types only, defaulted from the country
    # ------------------------------------------------------------------
    @api.model
    def _customer_default_type(self, defaults):
        """Defaults of a new registered customer carry the governed type of
        its country (Perú: RUC, Honduras: RTN), never Odoo's generic VAT."""
        registering = defaults.get("is_registered_customer") or self.env.context.get("default_is_registered_customer")
        if not registering or "l10n_latam_identification_type_id" not in defaults:
            return defaults
        IdType = self.env["l10n_latam.identification.type"]
        current = IdType.browse(defaults.get("l10n_latam_identification_type_id") or [])
        if not current.customs_document_code:
            country = self.env["res.country"].browse(defaults.get("country_id") or []) or self.env.company.country_id
            defaults["l10n_latam_identification_type_id"] = IdType._customer_default_for_country(country).id
        return defaults

    # Named to run after l10n_latam_base's _onchange_country (onchange
    # methods of one field run in name order), which offers the generic VAT.
    @api.onchange("country_id", "is_registered_customer")
    def _onchange_customer_country_document_type(self):
        if not self.is_registered_customer:
            return
        country = self.country_id or self.env.company.country_id
        id_type = self.l10n_latam_identification_type_id
        if not id_type.customs_document_code or (id_type.country_id and country and id_type.country_id != country):
            default = self.env["l10n_latam.identification.type"]._customer_default_for_country(country)
            if default:
                self.l10n_latam_identification_type_id = default

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
        self.company_type = dn.document_company_type(code, self.vat) or self.company_type
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
