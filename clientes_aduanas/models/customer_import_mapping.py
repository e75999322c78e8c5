import json

from odoo import api, fields, models


class CustomerImportMapping(models.Model):
    """The columns a user mapped by hand in the import preview, remembered
    for the next file with the same headers (same sheet, same headers in
    the same order)."""

    _name = "customer.import.mapping"
    _description = "Saved Customer Import Column Mapping"
    _order = "write_date desc, id desc"

    sheet = fields.Char(required=True, help="Sheet of the file: Clientes or Contactos.")
    signature = fields.Char(required=True, index=True, help="The file's headers, compared without accents or case.")
    choices = fields.Text(required=True, help="JSON: header -> column of the schema, or __ignore__.")
    user_id = fields.Many2one("res.users", string="Saved By", default=lambda self: self.env.user, readonly=True)

    _sql_constraints = [
        ("sheet_signature_uniq", "unique(sheet, signature)", "One saved mapping per sheet and set of headers."),
    ]

    @api.model
    def _choices_for(self, sheet, signature):
        mapping = self.search([("sheet", "=", sheet), ("signature", "=", signature)], limit=1)
        return json.loads(mapping.choices) if mapping else {}

    @api.model
    def _remember(self, sheet, signature, choices):
        """Save (or replace) the user's choices for these headers."""
        if not choices:
            return self.browse()
        mapping = self.search([("sheet", "=", sheet), ("signature", "=", signature)], limit=1)
        vals = {"choices": json.dumps(choices, sort_keys=True), "user_id": self.env.uid}
        if mapping:
            mapping.write(vals)
            return mapping
        return self.create({"sheet": sheet, "signature": signature, **vals})
