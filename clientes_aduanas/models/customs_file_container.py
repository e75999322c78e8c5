from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import container_number


class CustomsFileContainer(models.Model):
    _name = "customs.file.container"
    _description = "Customs File Container"
    _order = "file_id, sequence, id"

    file_id = fields.Many2one("customs.file", string="Customs File", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Container Number", required=True, help="ISO 6346: e.g. CSQU3054383.")
    container_type = fields.Selection(
        [
            ("20gp", "20' Dry"),
            ("40gp", "40' Dry"),
            ("40hc", "40' High Cube"),
            ("45hc", "45' High Cube"),
            ("20rf", "20' Reefer"),
            ("40rf", "40' Reefer"),
            ("20ot", "20' Open Top"),
            ("40ot", "40' Open Top"),
            ("20fr", "20' Flat Rack"),
            ("40fr", "40' Flat Rack"),
            ("20tk", "20' Tank"),
        ],
        string="Type / Size",
    )
    seal_number = fields.Char(string="Seal")

    _sql_constraints = [
        ("name_file_uniq", "unique(file_id, name)", "A container appears only once in a customs file."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name"):
                vals["name"] = container_number.normalize(vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("name"):
            vals = dict(vals, name=container_number.normalize(vals["name"]))
        return super().write(vals)

    @api.constrains("name")
    def _check_name(self):
        invalid = self.filtered(lambda c: not container_number.is_valid(c.name))
        if invalid:
            raise ValidationError(
                self.env._(
                    "Invalid container number (ISO 6346: 3 letters of the owner, U, J or Z, 6 digits and the "
                    "check digit): %(numbers)s.",
                    numbers=", ".join(invalid.mapped("name")),
                )
            )
