import json

from odoo import api, fields, models

from .res_partner import GROUP


class CustomerImportMapping(models.Model):
    """The columns mapped by hand in the import preview, remembered for the
    next file with the same headers (same sheet, same headers in the same
    order). One mapping per company, read by every import of the company;
    saved and changed only by customer administrators (ACL), so an importer
    never silently changes what the others' imports pick up."""

    _name = "customer.import.mapping"
    _description = "Saved Customer Import Column Mapping"
    _order = "write_date desc, id desc"
    _check_company_auto = True

    sheet = fields.Char(required=True, help="Sheet of the file: Clientes or Contactos.")
    signature = fields.Char(required=True, index=True, help="The file's headers, compared without accents or case.")
    choices = fields.Text(required=True, help="JSON: header -> column of the schema, or __ignore__.")
    user_id = fields.Many2one("res.users", string="Saved By", default=lambda self: self.env.user, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The imports of this company use the mapping.",
    )

    _sql_constraints = [
        (
            "sheet_signature_uniq",
            "unique(company_id, sheet, signature)",
            "One saved mapping per company, sheet and set of headers.",
        ),
    ]

    @api.model
    def _may_save(self):
        """Whether the current user saves mappings (customer administrators)."""
        return self.env.user.has_group(GROUP % "manager")

    def _search_for(self, sheet, signature):
        return self.search(
            [("company_id", "=", self.env.company.id), ("sheet", "=", sheet), ("signature", "=", signature)],
            limit=1,
        )

    @api.model
    def _choices_for(self, sheet, signature):
        mapping = self._search_for(sheet, signature)
        return json.loads(mapping.choices) if mapping else {}

    @api.model
    def _remember(self, sheet, signature, choices):
        """Save (or replace) the user's choices for these headers."""
        if not choices:
            return self.browse()
        mapping = self._search_for(sheet, signature)
        vals = {"choices": json.dumps(choices, sort_keys=True), "user_id": self.env.uid}
        if mapping:
            mapping.write(vals)
            return mapping
        return self.create({"sheet": sheet, "signature": signature, "company_id": self.env.company.id, **vals})
