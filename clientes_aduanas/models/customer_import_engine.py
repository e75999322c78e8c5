"""Customer spreadsheet import: the engine and the order of its stages.

The stages, one file each, all extending the ``customer.import.engine``
abstract model (the wizard, the preview and the background job call the
same methods):

1. read (customer_import_read.py): ``_open``, the reading errors;
2. map headers (customer_import_headers.py): ``_check_columns``, ``_column_report``;
3. normalise / validate (customer_import_rows.py): ``_row_to_vals`` through the
   customer rules of res.partner;
4. match existing (customer_import_match.py): ``_analyse_customer_batch``,
   ``_analyse_contact_batch`` (one query per batch);
5. write (customer_import_write.py): ``_write_rows``, and the file of rejected rows.

This file holds what the stages share (the column plan) and the passes that
chain them: ``_analyse``, ``_preview`` and ``_import``.
"""

import contextlib

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet
from ..tools import document_number as dn

COLUMNS = schema.by_key(schema.CUSTOMER_COLUMNS)
CONTACT_COLUMNS = schema.by_key(schema.CONTACT_COLUMNS)
# res.partner field -> spreadsheet column, to name the column of an error.
FIELD_COLUMNS = {c.field: c.key for c in schema.CUSTOMER_COLUMNS if c.field}
FIELD_COLUMNS["company_type"] = "company_type"
TEXT_KINDS = (schema.TEXT, schema.HTML)


def _cell_plan(columns, ruled=()):
    # Per column, read once: key, whether a date is an error there, bound
    # (none where the customer rules bound the field themselves).
    return [
        (c.key, c.kind not in (schema.DOCUMENT, schema.PARENT), None if c.field in ruled else c.max_length)
        for c in columns.values()
    ]


CELL_PLAN = {
    id(COLUMNS): _cell_plan(COLUMNS, schema.FIELD_MAX_LENGTHS),
    id(CONTACT_COLUMNS): _cell_plan(CONTACT_COLUMNS),
}
TEXT_FIELDS = [(c.key, c.field) for c in schema.CUSTOMER_COLUMNS if c.kind in TEXT_KINDS]
BOOLEAN_FIELDS = [(c.key, c.field) for c in schema.CUSTOMER_COLUMNS if c.kind == schema.BOOLEAN]
# Kinds whose lost leading zeros can be put back (one possible length);
# a RUC never starts with 0. Other kinds typed as numbers are refused.
RESTORABLE_KINDS = (dn.PE_DNI, dn.HN_RTN, dn.HN_IDENTITY)
BATCH_SIZE = sheet.BATCH_SIZE
PREVIEW_ROWS = 200
PREVIEW_ERROR_ROWS = 1000
# Keys a row sets from the context rather than from its cells: an update
# does not overwrite a value the customer already has with them.
IMPLICIT_UPDATE_SKIP = ("customer_rank",)
# A contact row's values an update leaves alone when its cell is empty;
# ``type`` is never rewritten: Odoo re-syncs a contact's address from its
# parent when its type is written.
CONTACT_UPDATE_SKIP = ("type",)


class CustomerImportEngine(models.AbstractModel):
    """Reading, checking and writing customer spreadsheets, for the import
    wizard (its screens) and the background import (its queue jobs).

    A *source* is a dict: ``data`` and ``filename`` of the upload, optional
    ``contact_data`` / ``contact_filename`` (a second CSV) and ``choices``,
    ``{sheet name: {header key: column key or IGNORE}}`` the user made in
    the preview. The rules of a customer are the partner model's own
    (``_customer_validate_vals``, ``_find_duplicate_customers``...)."""

    _name = "customer.import.engine"
    _description = "Customer Spreadsheet Import Engine"

    # ------------------------------------------------------------------
    # Whole-file passes: read -> map headers -> rows -> match (-> write)
    # ------------------------------------------------------------------
    @api.model
    def _analyse(self, source):
        """Every row of the file, analysed, nothing written: ``rows`` (row,
        raw, vals, errors, partner, action) and ``contacts``. Handy for a
        small file; the preview and the import stream batches instead."""
        ctx = self._new_context()
        book, _matches = self._open(source)
        with contextlib.closing(book):
            rows = [r for b in self._iter_batches(book.customers(), self._analyse_customer_batch, ctx) for r in b]
            contacts = [c for b in self._iter_batches(book.contacts(), self._analyse_contact_batch, ctx) for c in b]
        return {"rows": rows, "contacts": contacts}

    @api.model
    def _preview_html(self, shown, contact_errors, counts, matches):
        labels = {"create": self.env._("Create"), "update": self.env._("Update"), "error": self.env._("Error")}
        css = {"error": "table-danger", "update": "table-info", "create": ""}

        def line(sheet_name, item, columns, vat_key, name):
            return {
                "sheet": sheet_name,
                "row": item["row"],
                "action": labels[item["action"]],
                "css": css[item["action"]],
                "vat": sheet.cell_text(item["raw"].get(vat_key)),
                "name": name,
                "errors": [(columns[k].header if k in columns else k, m) for k, m in item["errors"]],
            }

        lines = [
            line(sheet.CUSTOMER_SHEET, row, COLUMNS, "vat", sheet.cell_text(row["raw"].get("name")))
            for row in sorted(shown, key=lambda r: r["row"])
        ] + [
            line(sheet.CONTACT_SHEET, {**c, "action": "error"}, CONTACT_COLUMNS, "customer_vat", c["vals"]["name"])
            for c in contact_errors
        ]
        return self.env["ir.qweb"]._render(
            "clientes_aduanas.customer_import_preview",
            {
                "lines": lines,
                "hidden": counts["total"] + counts["contact_error"] - len(shown) - len(contact_errors),
                "missing": [
                    (name, ", ".join(c.header for c in match.missing))
                    for name, match in matches.items()
                    if match.missing
                ],
                "unknown": [
                    (name, ", ".join(h for _i, h in match.unknown)) for name, match in matches.items() if match.unknown
                ],
                "vat_header": COLUMNS["vat"].header,
                "name_header": COLUMNS["name"].header,
            },
        )

    @api.model
    def _preview(self, source):
        """Read and check the whole file, batch by batch, writing nothing.
        Returns counts, the preview (HTML), the rejected rows (.xlsx bytes
        or None) and the column report."""
        ctx = self._new_context()
        counts = dict.fromkeys(("total", "create", "update", "error", "contacts", "contact_error"), 0)
        shown_errors, shown_valid, contact_errors = [], [], []
        writer = self._rejected_writer()
        book, matches = self._open(source)
        with contextlib.closing(writer), contextlib.closing(book):
            for batch in self._iter_batches(book.customers(), self._analyse_customer_batch, ctx):
                for row in batch:
                    counts["total"] += 1
                    counts[row["action"]] += 1
                    if row["errors"]:
                        self._reject_customer(writer, row)
                        if len(shown_errors) < PREVIEW_ERROR_ROWS:
                            shown_errors.append(row)
                    elif len(shown_valid) < PREVIEW_ROWS:
                        shown_valid.append(row)
            for batch in self._iter_batches(book.contacts(), self._analyse_contact_batch, ctx):
                for contact in batch:
                    counts["contacts"] += 1
                    if contact["errors"]:
                        counts["contact_error"] += 1
                        self._reject_contact(writer, contact)
                        if len(contact_errors) < PREVIEW_ERROR_ROWS:
                            contact_errors.append(contact)
            rejected = writer.finish()
        return {
            "counts": counts,
            "html": self._preview_html(shown_errors + shown_valid, contact_errors, counts, matches),
            "rejected": rejected,
            "columns": self._column_report(matches),
            "matches": matches,
        }

    @api.model
    def _background_threshold(self):
        """Above this many rows, customers and contacts together, the import
        runs in the background (system parameter
        clientes_aduanas.import_background_threshold)."""
        threshold = self.env.context.get("customer_import_background_threshold")
        if threshold is None:
            threshold = (
                self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.import_background_threshold", 10000)
            )
        return int(threshold)

    @api.model
    def _import(self, source, valid_only=False):
        """Check the whole file again (it may have changed since the
        preview, and so may the database) and write the chosen rows: in
        this transaction up to the threshold, in background chunks above.
        Any refusal leaves nothing behind (savepoint). Returns a dict:
        skipped, rejected (bytes), and either the counts or ``job``."""
        threshold = self._background_threshold()
        ctx = self._new_context()
        writer = self._rejected_writer()
        rows, contacts, job = [], [], self.env["customer.import.job"]
        skipped = 0
        with self.env.cr.savepoint(), contextlib.closing(writer):
            book, matches = self._open(source)
            with contextlib.closing(book):
                self._check_columns(matches)

                def stage(kind, valid):
                    nonlocal rows, contacts, job
                    if not job and len(rows) + len(contacts) + len(valid) > threshold:
                        # Too many for one request: from here on, chunks.
                        job = job._create_for_import(source.get("filename"))
                        job._add_chunks("customers", rows)
                        job._add_chunks("contacts", contacts)
                        rows, contacts = [], []
                    if job:
                        job._add_chunks(kind, valid)
                    elif kind == "customers":
                        rows += valid
                    else:
                        contacts += valid

                for kind, records, analyse, reject, compact in (
                    ("customers", book.customers(), self._analyse_customer_batch, self._reject_customer, self._compact),
                    (
                        "contacts",
                        book.contacts(),
                        self._analyse_contact_batch,
                        self._reject_contact,
                        self._compact_contact,
                    ),
                ):
                    for batch in self._iter_batches(records, analyse, ctx):
                        valid = []
                        for item in batch:
                            if item["errors"]:
                                skipped += 1
                                reject(writer, item)
                            else:
                                valid.append(compact(item))
                        stage(kind, valid)
            if skipped and not valid_only:
                raise UserError(
                    self.env._(
                        "%(count)s rows have errors: nothing was imported. Fix the file and upload it again, "
                        "or tick “Import only valid rows”.",
                        count=skipped,
                    )
                )
            rejected = writer.finish()
            result = {"skipped": skipped, "rejected": rejected, "job": job, "matches": matches}
            if job:
                job._start(skipped, rejected)
            else:
                result.update(self._write_rows(rows, contacts))
        return result
