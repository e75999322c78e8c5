"""Stage 5, write: create / update the checked rows in batches, and the file
of the rows that could not be written.

One stage of the customer import engine (customer_import_engine.py calls
the stages in order for the wizard, the preview and the background job)."""

import contextlib

import psycopg2

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from ..models.res_partner import PREVALIDATED
from ..tools import customer_spreadsheet as sheet
from .customer_import_engine import (
    BATCH_SIZE,
    COLUMNS,
    CONTACT_COLUMNS,
    CONTACT_UPDATE_SKIP,
    IMPLICIT_UPDATE_SKIP,
)


class CustomerImportWrite(models.AbstractModel):
    # One stage per file: the engine is split on purpose.
    _inherit = "customer.import.engine"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _error_text(self, errors, columns):
        return "; ".join(f"{columns[key].header if key in columns else key}: {message}" for key, message in errors)

    @api.model
    def _rejected_writer(self):
        # Spanish header like the template's: the file's own vocabulary.
        return sheet.RejectedWriter(sheet.ERRORS_HEADER)

    @staticmethod
    def _cells(raw, columns):
        return [sheet.cell_text(raw.get(key)) for key in columns]

    @api.model
    def _reject_customer(self, writer, row):
        writer.add_customer(self._cells(row["raw"], COLUMNS), self._error_text(row["errors"], COLUMNS))

    @api.model
    def _reject_contact(self, writer, contact):
        writer.add_contact(
            self._cells(contact["raw"], CONTACT_COLUMNS), self._error_text(contact["errors"], CONTACT_COLUMNS)
        )

    @classmethod
    def _compact(cls, row):
        """What writing a checked customer row needs (JSON-friendly), with
        its cells for the file of rows a background chunk could not write."""
        return {
            "row": row["row"],
            "vals": row["vals"],
            "partner_id": row["partner"].id if row["partner"] else False,
            "implicit": row["implicit"],
            "cells": cls._cells(row["raw"], COLUMNS),
        }

    @classmethod
    def _compact_contact(cls, contact):
        return {
            "row": contact["row"],
            "vals": contact["vals"],
            "empty": contact["empty"],
            "parent_key": contact["parent_key"],
            "parent_id": contact["parent_id"],
            "cells": cls._cells(contact["raw"], CONTACT_COLUMNS),
        }

    @contextlib.contextmanager
    def _defaults_cache(self):
        """res.partner.default_get answers once per batch while the import
        writes (context customer_import_batch); forget them afterwards."""
        try:
            yield
        finally:
            self.env.cr.cache.pop("clientes_aduanas_defaults", None)

    @api.model
    def _partner_env(self):
        # PREVALIDATED: these rows went through _customer_validate_vals in
        # this very import, the constraint need not run them again. An
        # object no RPC caller can put in a context.
        return self.env["res.partner"].with_context(
            customer_import_batch=True,
            customer_vals_prevalidated=PREVALIDATED,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )

    @api.model
    def _write_customers(self, rows):
        """Create and update checked rows. Returns ({(type id, document):
        partner}, created, updated)."""
        Partner = self._partner_env()
        written = {}
        to_create = [r for r in rows if not r["partner_id"]]
        to_update = [r for r in rows if r["partner_id"]]
        # Odoo precomputes `user_id` through a throw-away new record per
        # row when the values lack it: give the answer once.
        defaults = {"user_id": Partner.default_get(["user_id"]).get("user_id", False)}
        for start in range(0, len(to_create), BATCH_SIZE):
            part = to_create[start : start + BATCH_SIZE]
            created = Partner.create([{**defaults, **r["vals"]} for r in part])
            for row, partner in zip(part, created, strict=True):
                written[(row["vals"].get("l10n_latam_identification_type_id"), row["vals"].get("vat"))] = partner
        partners = Partner.browse([r["partner_id"] for r in to_update])
        for row, partner in zip(to_update, partners, strict=True):
            vals = {
                key: value
                for key, value in row["vals"].items()
                if key not in IMPLICIT_UPDATE_SKIP
                and not (key in row["implicit"] and partner[key])
                and self._differs(partner, key, value)
            }
            # Unchanged values are not written: no needless duplicate
            # checks, recomputations or history for a re-imported file.
            if vals:
                partner.write(vals)
            written[(partner.l10n_latam_identification_type_id.id, partner.vat)] = partner
        return written, len(to_create), len(to_update)

    @staticmethod
    def _differs(partner, key, value):
        current = partner[key]
        if partner._fields[key].type == "many2one":
            current = current.id
        return (current or False) != (value or False)

    @api.model
    def _write_contacts(self, contacts, written):
        """Create or update (same name under the same customer) checked
        contact rows. Returns (created, updated, rows whose customer is not
        there)."""
        Partner = self._partner_env()
        missing = [c for c in contacts if tuple(c["parent_key"]) not in written and not c["parent_id"]]
        if missing:
            # A background contacts chunk: its customers were written by
            # earlier chunks; find them with one query.
            vats = list({c["parent_key"][1] for c in missing})
            for partner in Partner.with_context(active_test=False).search_fetch(
                [("is_registered_customer", "=", True), ("vat", "in", vats)],
                ["vat", "l10n_latam_identification_type_id"],
            ):
                written.setdefault((partner.l10n_latam_identification_type_id.id, partner.vat), partner)
        by_contact, lost = [], []
        for contact in contacts:
            parent = written.get(tuple(contact["parent_key"])) or (
                Partner.browse(contact["parent_id"]) if contact["parent_id"] else None
            )
            if parent:
                by_contact.append((contact, parent))
            else:
                lost.append(contact["row"])
        parent_ids = list({parent.id for _c, parent in by_contact})
        existing = {}
        if parent_ids:
            for child in Partner.search_fetch(
                [("parent_id", "in", parent_ids)], ["parent_id", "name", "function", "phone", "email"]
            ):
                existing.setdefault((child.parent_id.id, sheet.fold(child.name)), child)
        to_create, updated = [], 0
        for contact, parent in by_contact:
            child = existing.get((parent.id, sheet.fold(contact["vals"]["name"])))
            if child:
                skip = {*CONTACT_UPDATE_SKIP, *contact.get("empty", ())}
                vals = {
                    key: value
                    for key, value in contact["vals"].items()
                    if key not in skip and self._differs(child, key, value)
                }
                if vals:
                    child.write(vals)
                updated += 1
            else:
                to_create.append({**contact["vals"], "parent_id": parent.id})
        for start in range(0, len(to_create), BATCH_SIZE):
            Partner.create(to_create[start : start + BATCH_SIZE])
        return len(to_create), updated, lost

    @api.model
    def _write_rows_unguarded(self, rows, contacts):
        with self._defaults_cache():
            written, created, updated = self._write_customers(rows)
            contacts_created, contacts_updated, lost = self._write_contacts(contacts, written)
            self.env.flush_all()
        return {
            "created": created,
            "updated": updated,
            "contacts_created": contacts_created,
            "contacts_updated": contacts_updated,
            "lost_contacts": lost,
        }

    @api.model
    def _failure_reason(self, err):
        if isinstance(err, psycopg2.Error):
            return self.env._(
                "the database refused the data (%(detail)s).",
                detail=(err.diag.message_primary if err.diag else None) or err.pgcode or "",
            )
        return err.args[0] if err.args else str(err)

    @api.model
    def _write_rows(self, rows, contacts):
        """Write checked rows in one savepoint: any failure leaves the
        database as it was and is reported in the user's language."""
        try:
            with self.env.cr.savepoint():
                result = self._write_rows_unguarded(rows, contacts)
                if result["lost_contacts"]:
                    raise UserError(
                        self.env._(
                            "the customers of contact rows %(rows)s could not be found.",
                            rows=", ".join(map(str, result["lost_contacts"][:20])),
                        )
                    )
        except (ValidationError, UserError, psycopg2.Error) as err:
            raise UserError(self.env._("Nothing was imported: %(reason)s", reason=self._failure_reason(err))) from err
        return result
