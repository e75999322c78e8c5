"""Stage 2, map headers: recognise each column (template headers, synonyms,
Odoo's field labels, the user's saved choices) and report the mapping.

One stage of the customer import engine (customer_import_engine.py calls
the stages in order for the wizard, the preview and the background job)."""

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import customer_schema as schema
from ..tools import customer_spreadsheet as sheet


class CustomerImportHeaders(models.AbstractModel):
    # One stage per file: the engine is split on purpose.
    _inherit = "customer.import.engine"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _field_labels(self, columns):
        """Odoo's own labels of the columns' fields in English and in every
        installed Spanish (es_PE, es_HN...), whatever the user's language:
        what a user who exported from Odoo has as headers."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        langs = {"en_US", *(code for code in installed if code.startswith("es"))}
        labels = []
        Fields = self.env["ir.model.fields"]
        for lang in sorted(langs):
            strings = Fields.with_context(lang=lang).get_field_string("res.partner")
            labels += [(c.key, strings[c.field]) for c in columns if c.field and strings.get(c.field)]
        return labels

    @api.model
    def _synonyms(self, columns):
        return schema.synonym_index(columns, self._field_labels(columns))

    @api.model
    def _check_columns(self, matches):
        """Before writing: every column of the file decided, every required
        column present."""
        problems = []
        for name, match in matches.items():
            if match.unknown:
                problems.append(
                    self.env._(
                        "Sheet %(sheet)s: choose a field or “Ignore” for the columns %(columns)s.",
                        sheet=name,
                        columns=", ".join(header for _i, header in match.unknown),
                    )
                )
            if match.missing:
                problems.append(
                    self.env._(
                        "Sheet %(sheet)s: the required columns %(columns)s are missing; map them in the preview.",
                        sheet=name,
                        columns=", ".join(c.header for c in match.missing),
                    )
                )
        if problems:
            raise UserError("\n".join(problems))

    @api.model
    def _column_report(self, matches):
        """Each sheet's columns as read: header, the column it fills (or
        none: ignored / still unknown)."""
        report = []
        for name, match in matches.items():
            columns = schema.by_key(schema.CUSTOMER_COLUMNS if name == sheet.CUSTOMER_SHEET else schema.CONTACT_COLUMNS)
            for position, header in enumerate(match.headers):
                if not schema.header_key(header):
                    continue
                key = match.mapping.get(position)
                state = "mapped" if key else ("unknown" if (position, header) in match.unknown else "ignored")
                report.append(
                    {
                        "sheet": name,
                        "header": header,
                        "header_key": schema.header_key(header),
                        "key": key or False,
                        "label": columns[key].header if key else False,
                        "state": state,
                    }
                )
            for column in match.missing:
                report.append(
                    {
                        "sheet": name,
                        "header": False,
                        "header_key": False,
                        "key": column.key,
                        "label": column.header,
                        "state": "missing",
                    }
                )
        return report
