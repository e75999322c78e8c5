from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestServerLog(ClientesAduanasCase):
    """What users do wrong gets its Spanish message and leaves no warning or
    error in the server log; what Odoo checks at every load stays quiet."""

    def test_second_operations_contact_is_refused_without_a_sql_error_in_the_log(self):
        customer = self._create_customer()
        Partner = self.env["res.partner"].with_user(self.user_edit)
        Partner.create({"name": "Ops 1", "parent_id": customer.id, "is_operations_contact": True})
        with self.assertNoLogs("odoo.sql_db", "ERROR"), self.assertRaises(ValidationError) as ctx:
            Partner.create({"name": "Ops 2", "parent_id": customer.id, "is_operations_contact": True})
        self.assertIn("only one main operations contact", str(ctx.exception))

    def test_no_two_fields_of_the_addons_models_share_a_label(self):
        """Odoo warns at each load about two fields of one model with the same
        label (and users cannot tell the two columns apart in a list)."""
        modules = (
            self.env["ir.module.module"]
            .search([("name", "=like", "clientes_aduanas%"), ("state", "=", "installed")])
            .mapped("name")
        )
        data = self.env["ir.model.data"].search([("module", "in", modules), ("model", "=", "ir.model.fields")])
        ours = self.env["ir.model.fields"].browse(data.mapped("res_id")).exists()
        self.assertIn("customs_office", ours.mapped("name"))
        clashes = []
        for model_name in set(ours.mapped("model")):
            labels = {}
            for field in self.env[model_name]._fields.values():
                if field.string in labels:
                    clashes.append(f"{model_name}: {labels[field.string]} / {field.name} ({field.string})")
                labels[field.string] = field.name
        self.assertFalse(clashes)
