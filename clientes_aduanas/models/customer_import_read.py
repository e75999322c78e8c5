"""Stage 1, read: open the upload (.xlsx / .csv, optional contacts file) and turn
reading errors into messages.

One stage of the customer import engine (customer_import_engine.py calls
the stages in order for the wizard, the preview and the background job)."""

import contextlib

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet


class CustomerImportRead(models.AbstractModel):
    # One stage per file: the engine is split on purpose.
    _inherit = "customer.import.engine"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _spreadsheet_error_message(self, err):
        p = err.params
        # Where a reading error happened: file, sheet and row.
        where = {"file": p.get("file") or "-", "sheet": p.get("sheet") or "-", "row": p.get("row") or p.get("line")}
        messages = {
            "empty_file": lambda: self.env._("The file is empty."),
            "not_spreadsheet": lambda: self.env._("The file is not an Excel (.xlsx) or CSV spreadsheet."),
            "encrypted_or_xls": lambda: self.env._(
                "The file is password-protected or in the old .xls format: save it as an unprotected .xlsx."
            ),
            "corrupted": lambda: self.env._("The Excel file %(file)s is damaged and cannot be read.", **where),
            "too_big": lambda: self.env._("The file is too large once uncompressed; split it into smaller files."),
            "too_many_rows": lambda: self.env._("The file has more than %(max)s rows; split it.", max=p["max"]),
            "empty_sheet": lambda: self.env._("Sheet %(sheet)s has no header row.", sheet=p["sheet"]),
            "csv_broken": lambda: self.env._(
                "File %(file)s, sheet %(sheet)s: the CSV cannot be read near row %(row)s "
                "(unbalanced quotes or a field too long). Nothing was imported.",
                **where,
            ),
            "read_error": lambda: self.env._(
                "File %(file)s, sheet %(sheet)s: row %(row)s cannot be read, the file is damaged from there on. "
                "Nothing was imported: open it in Excel, save it again and upload it.",
                **where,
            ),
            "undecodable": lambda: self.env._(
                "File %(file)s, sheet %(sheet)s: row %(row)s holds bytes that are not valid %(encoding)s text. "
                "Nothing was imported: save the file again as CSV UTF-8.",
                encoding=p.get("encoding", "").upper(),
                **where,
            ),
            "contacts_not_csv": lambda: self.env._("The contacts file must be a .csv file."),
            "formula": lambda: self.env._(
                "These cells contain formulas without a calculated value: %(cells)s. "
                "Open the file in Excel, save it, and upload it again (or paste the values).",
                cells=p["cells"],
            ),
        }
        return messages[err.rule]()

    @contextlib.contextmanager
    def _user_errors(self):
        """Problems of the file itself become one clear message."""
        try:
            yield
        except sheet.SpreadsheetError as err:
            raise UserError(self._spreadsheet_error_message(err)) from err

    @api.model
    def _open(self, source):
        """The opened file, each sheet's columns mapped: the user's choices
        in the preview, then a saved mapping of the same headers, then the
        synonyms. Returns ``(book, {sheet name: HeaderMatch})``."""
        with self._user_errors():
            try:
                book = sheet.open_file(
                    source["data"],
                    source.get("filename"),
                    source.get("contact_data"),
                    source.get("contact_filename") or "contactos.csv",
                )
            except sheet.SpreadsheetError as err:
                err.params.setdefault("file", source.get("filename"))
                raise
        matches = {}
        Mapping = self.env["customer.import.mapping"]
        for table in book.tables():
            choices = dict(Mapping._choices_for(table.name, schema.signature(table.headers)))
            choices.update((source.get("choices") or {}).get(table.name) or {})
            match = schema.match_headers(table.headers, table.columns, self._synonyms(table.columns), choices)
            table.mapping = match.mapping
            table.implied = match.implied
            matches[table.name] = match
        return book, matches
