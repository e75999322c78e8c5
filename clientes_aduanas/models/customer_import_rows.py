"""Stage 3, normalise / validate: cells to res.partner values, checked by the
customer rules of the partner model (not a copy of them).

One stage of the customer import engine (customer_import_engine.py calls
the stages in order for the wizard, the preview and the background job)."""

from odoo import api, models

from ..tools import customer_spreadsheet as sheet
from ..tools import document_number as dn
from .customer_import_engine import (
    BOOLEAN_FIELDS,
    CELL_PLAN,
    COLUMNS,
    FIELD_COLUMNS,
    RESTORABLE_KINDS,
    TEXT_FIELDS,
)


class CustomerImportRows(models.AbstractModel):
    # One stage per file: the engine is split on purpose.
    _inherit = "customer.import.engine"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _lookups(self):
        """Every catalog the rows refer to, read once per import."""
        types = self.env["l10n_latam.identification.type"].search([])  # pylint: disable=no-search-all
        countries = self.env["res.country"].search([])  # pylint: disable=no-search-all
        states = self.env["res.country.state"].search([])  # pylint: disable=no-search-all
        categories = self.env["res.partner.customer.category"].search([])  # pylint: disable=no-search-all
        classes = self.env["res.partner.customer.class"].search([])  # pylint: disable=no-search-all
        langs = [lang for lang, _label in self.env["res.lang"].get_installed()]

        def by_name(records, *codes):
            # Codes, names in the user's language, then in every installed
            # language (Perú, Peru; Pasaporte, Passport...): first one wins.
            mapping = {}
            for record in records:
                for code in codes:
                    if record[code]:
                        mapping.setdefault(sheet.fold(record[code]), record)
                mapping.setdefault(sheet.fold(record.name), record)
            for lang in langs:
                for record in records.with_context(lang=lang):
                    mapping.setdefault(sheet.fold(record.name), record.with_env(self.env))
            return mapping

        state_map = {}
        for state in states:
            state_map[(state.country_id.id, sheet.fold(state.name))] = state
            state_map[(state.country_id.id, sheet.fold(state.code))] = state
        # Types a customer may have first, should two share a name.
        types = types.sorted(lambda t: (not t.customs_document_code, t.sequence))
        cities = self.env["res.city"].search([("hn_ine_code", "!=", False)])
        return {
            "city_code": {city.hn_ine_code: city for city in cities},
            "type": by_name(types, "customs_document_code"),
            "country": by_name(countries, "code"),
            "state": state_map,
            "category": by_name(categories, "code"),
            "customer_class": by_name(classes, "code"),
            "default_country": self.env.company.country_id,
        }

    @api.model
    def _new_context(self):
        """What the analysis remembers across batches: catalogs, and small
        keys of the rows already seen (duplicates inside the file, the
        customers the contacts refer to)."""
        return {
            "lookups": self._lookups(),
            "seen_email": {},
            "seen_document": {},
            "matched": {},
            # normalized document number -> (row, type id, valid, partner id)
            "documents": {},
            "principal": {},
        }

    @api.model
    def _date_error(self, value):
        return self.env._(
            "The cell holds a date (%(value)s) where text is expected: type it as text.",
            value=sheet.cell_text(value),
        )

    @api.model
    def _cell_texts(self, raw, columns, errors):
        """Each cell as text; dates where text is expected and texts beyond
        the column's bound are errors (such a row is never written)."""
        text = {}
        cell_text, unneutralize, is_date = sheet.cell_text, sheet.unneutralize, sheet.is_date
        for key, date_is_error, max_length in CELL_PLAN[id(columns)]:
            value = raw.get(key)
            if value is None:
                text[key] = ""
                continue
            if date_is_error and is_date(value):
                errors.append((key, self._date_error(value)))
            text[key] = cell = unneutralize(cell_text(value))
            if max_length and len(cell) > max_length:
                errors.append(
                    (
                        key,
                        self.env._(
                            "At most %(max)s characters (this cell has %(length)s).",
                            max=max_length,
                            length=len(cell),
                        ),
                    )
                )
        return text

    @api.model
    def _document_vals(self, raw, id_type, vals, errors):
        value = raw.get("vat")
        kind = id_type.customs_document_code if id_type else None
        text, problem = sheet.document_text(value, kind)
        text = sheet.unneutralize(text)
        if problem == "date":
            errors.append(("vat", self._date_error(value)))
        elif problem == "rounded":
            errors.append(
                (
                    "vat",
                    self.env._(
                        "The document number %(value)s was typed as a number and Excel rounded it: type it as text.",
                        value=text,
                    ),
                )
            )
        elif sheet.is_number(value) and kind and kind != dn.PE_RUC and kind not in RESTORABLE_KINDS:
            errors.append(
                (
                    "vat",
                    self.env._(
                        "The document number %(value)s was typed as a number, so Excel may have dropped "
                        "leading zeros: type it as text.",
                        value=text,
                    ),
                )
            )
        max_length = COLUMNS["vat"].max_length
        if len(text) > max_length:
            errors.append(
                (
                    "vat",
                    self.env._(
                        "At most %(max)s characters (this cell has %(length)s).", max=max_length, length=len(text)
                    ),
                )
            )
        elif text:
            vals["vat"] = text

    @api.model
    def _row_catalog_vals(self, text, id_type, lookups, vals, errors, implicit):
        """Country, department, category and class of a row, from the
        catalogs read once per import; returns the customer's country."""
        country = lookups["country"].get(sheet.fold(text["country"])) if text["country"] else None
        if text["country"] and not country:
            errors.append(("country", self.env._("Unknown country %(value)s.", value=text["country"])))
        if not text["country"]:
            implicit.append("country_id")
        country = country or (id_type.country_id if id_type else None) or lookups["default_country"]
        if country:
            vals["country_id"] = country.id
        if text["state"]:
            state = lookups["state"].get((country.id if country else 0, sheet.fold(text["state"])))
            if not state:
                errors.append(("state", self.env._("Unknown department %(value)s.", value=text["state"])))
            else:
                vals["state_id"] = state.id
        if text["city_code"]:
            # Excel drops the leading zero of 0801.
            code = text["city_code"].strip().zfill(4)
            city = lookups["city_code"].get(code)
            if not city or (country and city.country_id != country):
                errors.append(
                    ("city_code", self.env._("Unknown municipality code %(value)s.", value=text["city_code"]))
                )
            else:
                # The code gives the municipality's name and department.
                vals.update(city_id=city.id, city=city.name)
                vals.setdefault("state_id", city.state_id.id)
        for key in ("category", "customer_class"):
            if text[key]:
                record = lookups[key].get(sheet.fold(text[key]))
                if not record:
                    errors.append((key, self.env._("Unknown value %(value)s.", value=text[key])))
                else:
                    vals[COLUMNS[key].field] = record.id
        return country

    @api.model
    def _row_to_vals(self, raw, lookups):
        """Values and errors of one customer row; errors are (column, text).
        Returns ``(vals, errors, implicit)``, ``implicit`` the fields set
        from the context rather than from a cell."""
        errors, implicit = [], ["customer_rank"]
        vals = {"is_registered_customer": True, "customer_rank": 1}
        text = self._cell_texts(raw, COLUMNS, errors)
        for key, field_name in TEXT_FIELDS:
            if text[key]:
                vals[field_name] = text[key]
        for key, field_name in BOOLEAN_FIELDS:
            if text[key]:
                value = sheet.parse_bool(text[key])
                if value is None:
                    errors.append((key, self.env._("Write Sí or No, not %(value)s.", value=text[key])))
                else:
                    vals[field_name] = value
        id_type = lookups["type"].get(sheet.fold(text["document_type"]))
        if not text["document_type"] and text["vat"]:
            # As the form does: the document of the customer's country.
            country = lookups["country"].get(sheet.fold(text["country"])) if text["country"] else None
            id_type = self.env["l10n_latam.identification.type"]._customer_default_for_country(
                country or lookups["default_country"]
            )
            implicit.append("l10n_latam_identification_type_id")
        if text["document_type"] and not id_type:
            errors.append(
                ("document_type", self.env._("Unknown document type %(value)s.", value=text["document_type"]))
            )
        if id_type:
            vals["l10n_latam_identification_type_id"] = id_type.id
        self._document_vals(raw, id_type, vals, errors)
        if text["company_type"]:
            person_type = sheet.PERSON_TYPES.get(sheet.fold(text["company_type"]))
            if not person_type:
                errors.append(
                    (
                        "company_type",
                        self.env._(
                            "Person type must be Natural or Jurídica, not %(value)s.", value=text["company_type"]
                        ),
                    )
                )
            else:
                vals["is_company"] = person_type == "company"
        else:
            inferred = dn.document_company_type(id_type.customs_document_code, vals.get("vat"))
            if inferred:
                vals["is_company"] = inferred == "company"
                implicit.append("is_company")
        country = self._row_catalog_vals(text, id_type, lookups, vals, errors, implicit)
        # The customer rules of the form, not a copy of them.
        normalized, rule_errors = self.env["res.partner"]._customer_validate_vals(vals, country=country)
        errors += [(FIELD_COLUMNS.get(field, field), message) for field, message in rule_errors]
        return normalized, errors, implicit
