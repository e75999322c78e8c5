"""Stage 4, match existing: each batch of rows against the customers and
contacts already stored (one query per batch), new or update.

One stage of the customer import engine (customer_import_engine.py calls
the stages in order for the wizard, the preview and the background job)."""

from odoo import api, models

from ..tools import contact_channel as ch
from ..tools import customer_spreadsheet as sheet
from ..tools import document_number as dn
from .customer_import_engine import (
    BATCH_SIZE,
    CONTACT_COLUMNS,
    FIELD_COLUMNS,
    RESTORABLE_KINDS,
)


class CustomerImportMatch(models.AbstractModel):
    # One stage per file: the engine is split on purpose.
    _inherit = "customer.import.engine"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _identity_error(self, row, partner):
        """An e-mail match whose document differs: an import never rewrites
        a customer's identity, it names both customers instead."""
        return self.env._(
            "The e-mail %(email)s belongs to the customer %(customer)s (document %(their)s), but this row is "
            "%(name)s with document %(ours)s: an import does not change a customer's document. "
            "Correct the row, or change the document on the customer's form.",
            email=row["vals"].get("email"),
            customer=partner.display_name,
            their=partner.vat or "-",
            name=row["vals"].get("name") or "-",
            ours=row["vals"].get("vat"),
        )

    @api.model
    def _analyse_customer_batch(self, batch, ctx):
        Partner = self.env["res.partner"]
        rows = []
        for number, raw in batch:
            vals, errors, implicit = self._row_to_vals(raw, ctx["lookups"])
            email = ch.email_key(vals.get("email")) or ""
            document = (vals.get("l10n_latam_identification_type_id"), vals.get("vat"))
            if email:
                if email in ctx["seen_email"]:
                    errors.append(
                        ("email", self.env._("Same e-mail as row %(row)s of this file.", row=ctx["seen_email"][email]))
                    )
                else:
                    ctx["seen_email"][email] = number
            if document[1]:
                if document in ctx["seen_document"]:
                    errors.append(
                        (
                            "vat",
                            self.env._(
                                "Same document as row %(row)s of this file.", row=ctx["seen_document"][document]
                            ),
                        )
                    )
                else:
                    ctx["seen_document"][document] = number
            rows.append(
                {"row": number, "raw": raw, "vals": vals, "errors": errors, "implicit": implicit, "partner": None}
            )
        # Existing customers: one query for the batch (document first, then e-mail).
        for row, match in zip(rows, Partner._find_duplicate_customers([r["vals"] for r in rows]), strict=True):
            if not match:
                continue
            field_name, partner = match
            vat = row["vals"].get("vat")
            if (
                field_name == "email"
                and vat
                and (
                    dn.normalize(partner.vat or "") != dn.normalize(vat)
                    or partner.l10n_latam_identification_type_id.id
                    != row["vals"].get("l10n_latam_identification_type_id")
                )
            ):
                row["errors"].append(("email", self._identity_error(row, partner)))
                continue
            if partner.id in ctx["matched"]:
                row["errors"].append(
                    (
                        "vat" if field_name == "vat" else "email",
                        self.env._(
                            "Row %(row)s of this file already updates the customer %(name)s.",
                            row=ctx["matched"][partner.id],
                            name=partner.display_name,
                        ),
                    )
                )
            else:
                ctx["matched"][partner.id] = row["row"]
            row["partner"] = partner
        # An update must not take the e-mail or document of another customer.
        updates = [r for r in rows if r["partner"]]
        if updates:
            conflicts = Partner._find_duplicate_customers(
                [r["vals"] for r in updates], exclude_ids=[r["partner"].id for r in updates]
            )
            for row, conflict in zip(updates, conflicts, strict=True):
                if conflict:
                    row["errors"].append((FIELD_COLUMNS[conflict[0]], Partner._duplicate_message(*conflict)))
        for row in rows:
            row["action"] = "error" if row["errors"] else ("update" if row["partner"] else "create")
            vat = row["vals"].get("vat")
            if vat and vat not in ctx["documents"]:
                ctx["documents"][vat] = (
                    row["row"],
                    row["vals"].get("l10n_latam_identification_type_id"),
                    row["action"] != "error",
                    row["partner"].id if row["partner"] else False,
                )
        return rows

    @api.model
    def _iter_batches(self, records, analyse, ctx):
        batch = []
        with self._user_errors():
            for record in records:
                batch.append(record)
                if len(batch) >= BATCH_SIZE:
                    yield analyse(batch, ctx)
                    batch = []
        if batch:
            yield analyse(batch, ctx)

    @api.model
    def _document_candidates(self, value):
        """The customer document a contact row names; a number that lost
        its leading zeros in Excel may be any of the padded forms."""
        text = dn.normalize(sheet.unneutralize(sheet.cell_text(value)))
        candidates = [text]
        if sheet.is_number(value):
            candidates += [dn.restore_leading_zeros(kind, text) for kind in RESTORABLE_KINDS]
        return [c for c in dict.fromkeys(candidates) if c]

    @api.model
    def _contact_item(self, number, raw):
        errors = []
        text = self._cell_texts(raw, CONTACT_COLUMNS, errors)
        if not text["name"]:
            errors.append(("name", self.env._("The contact name is required.")))
        if text["email"] and not ch.normalize_email(text["email"]):
            errors.append(("email", self.env._("%(email)s is not a valid e-mail address.", email=text["email"])))
        principal = sheet.parse_bool(text["is_operations_contact"])
        if principal is None:
            errors.append(
                (
                    "is_operations_contact",
                    self.env._("Write Sí or No, not %(value)s.", value=text["is_operations_contact"]),
                )
            )
        return {
            "row": number,
            "raw": raw,
            "errors": errors,
            "candidates": self._document_candidates(raw.get("customer_vat")),
            "vals": {
                "name": text["name"],
                "function": text["function"] or False,
                "phone": text["phone"] or False,
                "email": text["email"] or False,
                "is_operations_contact": bool(principal),
                "type": "contact",
            },
            # Cells the file leaves empty: an update keeps what is stored.
            "empty": [key for key in ("function", "phone", "email") if not text[key]]
            + ([] if text["is_operations_contact"] else ["is_operations_contact"]),
            "parent_key": False,
            "parent_id": False,
        }

    @api.model
    def _analyse_contact_batch(self, batch, ctx):
        Partner = self.env["res.partner"].with_context(active_test=False)
        contacts = [self._contact_item(number, raw) for number, raw in batch]
        for item in contacts:
            item["document"] = next((ctx["documents"][c] for c in item["candidates"] if c in ctx["documents"]), None)
        # Customers already registered that the file does not list: one query.
        wanted = {c for item in contacts if not item["document"] for c in item["candidates"]}
        registered = {}
        if wanted:
            for partner in Partner.search_fetch(
                [("is_registered_customer", "=", True), ("vat", "in", list(wanted))],
                ["vat", "l10n_latam_identification_type_id", "display_name"],
            ):
                registered.setdefault(partner.vat, []).append(partner)
        for item in contacts:
            shown = item["candidates"][0] if item["candidates"] else ""
            if item["document"]:
                row, type_id, valid, partner_id = item["document"]
                if not valid:
                    item["errors"].append(
                        ("customer_vat", self.env._("Its customer (row %(row)s) has errors.", row=row))
                    )
                vat = next(c for c in item["candidates"] if c in ctx["documents"])
                item["parent_key"] = [type_id, vat]
                item["parent_id"] = partner_id
                continue
            found = [p for c in item["candidates"] for p in registered.get(c, [])]
            if len(found) == 1:
                item["parent_key"] = [found[0].l10n_latam_identification_type_id.id, found[0].vat]
                item["parent_id"] = found[0].id
            elif found:
                item["errors"].append(
                    (
                        "customer_vat",
                        self.env._(
                            "Several customers have the document %(vat)s: %(names)s.",
                            vat=shown,
                            names=", ".join(p.display_name for p in found),
                        ),
                    )
                )
            else:
                item["errors"].append(
                    (
                        "customer_vat",
                        self.env._("No customer with document %(vat)s in the file or in Odoo.", vat=shown),
                    )
                )
        self._check_principal_contacts(contacts, ctx)
        return contacts

    @api.model
    def _check_principal_contacts(self, contacts, ctx):
        """One main operations contact per customer: in the file, and
        against the contact the customer already has (one query)."""
        principals = [c for c in contacts if c["vals"]["is_operations_contact"] and c["parent_key"]]
        parent_ids = {c["parent_id"] for c in principals if c["parent_id"]}
        current = {}
        if parent_ids:
            for contact in self.env["res.partner"].search_fetch(
                [("parent_id", "in", list(parent_ids)), ("is_operations_contact", "=", True)], ["parent_id", "name"]
            ):
                current[contact.parent_id.id] = contact
        for item in principals:
            key = tuple(item["parent_key"])
            if key in ctx["principal"]:
                item["errors"].append(
                    (
                        "is_operations_contact",
                        self.env._(
                            "Row %(row)s of this file is already the customer's main operations contact.",
                            row=ctx["principal"][key],
                        ),
                    )
                )
                continue
            ctx["principal"][key] = item["row"]
            existing = current.get(item["parent_id"])
            if existing and sheet.fold(existing.name) != sheet.fold(item["vals"]["name"]):
                item["errors"].append(
                    (
                        "is_operations_contact",
                        self.env._(
                            "The customer already has a main operations contact (%(name)s): "
                            "uncheck it first or write No here.",
                            name=existing.name,
                        ),
                    )
                )
