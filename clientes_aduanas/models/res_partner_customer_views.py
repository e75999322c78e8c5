# One concern per file (house rule): res.partner is split on purpose.
# pylint: disable=consider-merging-classes-inherited
from lxml import etree

from odoo import api, models

CUSTOMER_VIEWS = (
    "clientes_aduanas.res_partner_view_list_customer",
    "clientes_aduanas.res_partner_view_kanban_customer",
    "clientes_aduanas.res_partner_view_form_customer",
)
# View attribute -> the operation (see _customer_has_permission) it needs.
VIEW_ACTIONS = {"create": "create", "edit": "write", "delete": "unlink"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """The customer screens, adjusted per user after the view cache (which
        all users share):

        - New / edit / Delete only for the users the server lets do it: the
          Customers groups imply Odoo's contact-creation right, the access
          rule Odoo's own views follow, so that alone would offer them all;
        - the name and document number keep their own widgets: Odoo's
          partner_autocomplete (auto-installed) turns every partner form's
          name and VAT into a search of Odoo's IAP directory, which would
          compete with the governed lookup (the lupa) and cut the razón social
          to one line.
        """
        result = super().get_view(view_id, view_type, **options)
        data = self.env["ir.model.data"]
        view_ids = {data._xmlid_to_res_id(xmlid, raise_if_not_found=False) for xmlid in CUSTOMER_VIEWS}
        if result.get("id") not in view_ids:
            return result
        node = etree.fromstring(result["arch"])
        allowed = {attr: self._customer_has_permission(operation) for attr, operation in VIEW_ACTIONS.items()}
        if view_type == "form" and allowed["create"] and not allowed["edit"]:
            # A form with edit="0" cannot save a new record (no save button):
            # new customers stay editable, saved ones become read-only.
            allowed["edit"] = True
            for field in node.xpath("//field[not(ancestor::field)]"):
                readonly = field.get("readonly")
                model_field = self._fields.get(field.get("name"))
                if readonly is None and model_field and model_field.readonly:
                    # Read-only by the model (SUNAT status, computed values):
                    # a new record must not make it editable.
                    field.set("readonly", "1")
                elif readonly not in ("1", "True", "true"):
                    field.set("readonly", f"({readonly}) or id" if readonly and readonly != "0" else "id")
        for attr, is_allowed in allowed.items():
            if not is_allowed:
                node.set(attr, "0")
        for field in node.xpath("//field[@widget='field_partner_autocomplete']"):
            top_level = not field.xpath("ancestor::field")
            if top_level and field.get("name") == "name":
                field.set("widget", "text")
            else:
                del field.attrib["widget"]
        result["arch"] = etree.tostring(node, encoding="unicode")
        return result
