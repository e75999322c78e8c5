"""res.partner: the document lookup ("lupa") next to the document number."""

import json

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import document_number as dn


class ResPartner(models.Model):
    # Split by concern on purpose (see res_partner.py).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # A customer not saved yet cannot use an object button: the web client
    # saves first, and the required name (what the lookup is meant to fill)
    # blocks it. This toggle (widget boolean_icon) runs the lookup as an
    # onchange instead; it is never stored.
    document_lookup_request = fields.Boolean(
        string="Look Up Document",
        store=False,
        help="Looks the document number up in the configured sources and fills the fields that are still empty.",
    )

    @api.onchange("document_lookup_request")
    def _onchange_document_lookup_request(self):
        if not self.document_lookup_request:
            return None
        self.document_lookup_request = False
        self._check_customer_permission("write" if self._origin else "create")
        code = self.customs_document_code
        title = self.env._("Document lookup")
        try:
            result = self.env["document.lookup.provider"]._lookup(code, self.vat)
        except UserError as err:
            return {"warning": {"title": title, "message": err.args[0]}}
        filled, kept = [], []
        for field_name, value in self._lookup_result_to_vals(result, code).items():
            field = self._fields[field_name]
            current = self[field_name]
            # The person type follows from the RUC itself; other fields keep
            # what the user already typed.
            if current and field.type != "boolean":
                if (current.id if field.type == "many2one" else current) != value:
                    kept.append(f"{field._description_string(self.env)} ({self._lookup_display(field, value)})")
                continue
            self[field_name] = value
            if field.type != "boolean":
                filled.append(field._description_string(self.env))
        lines = [
            self.env._("Source: %(provider)s.", provider=result.get("provider")),
            self.env._(
                "Taxpayer status: %(state)s; address condition: %(condition)s.",
                state=result.get("taxpayer_state") or "-",
                condition=result.get("taxpayer_condition") or "-",
            ),
        ]
        if filled:
            lines.append(self.env._("Filled in: %(fields)s.", fields=", ".join(filled)))
        if kept:
            lines.append(self.env._("Your values were kept for: %(fields)s.", fields="; ".join(kept)))
        warning = self.env["document.lookup.provider"]._taxpayer_warning(
            result.get("taxpayer_state"), result.get("taxpayer_condition")
        )
        if warning:
            # Visible on purpose: invoicing a taxpayer that is not ACTIVO / HABIDO has consequences.
            return {"warning": {"title": warning, "message": "\n".join(lines), "type": "dialog"}}
        return {"warning": {"title": title, "message": "\n".join(lines), "type": "notification"}}

    def _lookup_display(self, field, value):
        if field.type == "many2one":
            return self.env[field.comodel_name].browse(value).display_name or ""
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return str(value)

    @api.model
    def _lookup_result_to_vals(self, result, code):
        """res.partner values from a lookup result (see document.lookup.provider)."""
        peru = self.env.ref("base.pe")
        vals = {"name": result.get("name"), "street": result.get("street") or False, "country_id": peru.id}
        ubigeo = (result.get("ubigeo") or "").strip()
        state = self.env["res.country.state"]
        if len(ubigeo) == 6 and ubigeo.isdigit():
            state = state.search([("country_id", "=", peru.id), ("code", "=", ubigeo[:2])], limit=1)
        if not state and result.get("state_name"):
            state = state.search([("country_id", "=", peru.id), ("name", "=ilike", result["state_name"])], limit=1)
        if state:
            vals["state_id"] = state.id
        city = result.get("district") or result.get("province")
        if city:
            vals["city"] = city.title()
        if "l10n_pe.res.city.district" in self.env and len(ubigeo) == 6:
            # Peruvian localization installed: its cities and districts carry the ubigeo.
            district = self.env["l10n_pe.res.city.district"].search([("code", "=", ubigeo)], limit=1)
            if district:
                vals["l10n_pe_district"] = district.id
                vals["city_id"] = district.city_id.id
                vals["city"] = district.city_id.name
        company_type = dn.document_company_type(code, result.get("vat"))
        if company_type:
            vals["is_company"] = company_type == "company"
        return {key: value for key, value in vals.items() if value not in (None, "")}

    def action_lookup_document(self):
        """The search button next to the document number (spec 000)."""
        self.ensure_one()
        self._check_customer_permission("write")
        code = self.customs_document_code
        try:
            result = self.env["document.lookup.provider"]._lookup(code, self.vat)
        except UserError as err:
            # Spec 000: a failed lookup never blocks; the user types the data.
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Document lookup"),
                    "message": err.args[0],
                    "type": "warning",
                    "sticky": False,
                },
            }
        new_vals = self._lookup_result_to_vals(result, code)
        lines = []
        for field_name, value in new_vals.items():
            field = self._fields[field_name]
            current = self[field_name]
            if field.type == "many2one":
                current_display = current.display_name or ""
                same = current.id == value
            elif field.type == "boolean":
                current_display = self._lookup_display(field, current)
                same = current == value
            else:
                current_display = "" if current is False else str(current)
                same = current == value
            new_display = self._lookup_display(field, value)
            if same:
                continue
            lines.append(
                {
                    "field_name": field_name,
                    "label": field._description_string(self.env),
                    "current_display": current_display,
                    "new_display": new_display,
                    "new_value": json.dumps(value),
                    "apply": True,
                }
            )
        wizard = self.env["document.lookup.wizard"].create(
            {
                "partner_id": self.id,
                "provider": result.get("provider"),
                "taxpayer_state": result.get("taxpayer_state"),
                "taxpayer_condition": result.get("taxpayer_condition"),
                "line_ids": [Command.create(line) for line in lines],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Document Lookup"),
            "res_model": "document.lookup.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
