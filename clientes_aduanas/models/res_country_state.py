from odoo import api, models


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    @api.model
    def _ensure_country_states(self, country_id, states):
        """Create the ``(code, name)`` states of ``country_id`` that do not
        exist yet and give every one the xml id ``base.state_<cc>_<code>``.

        Data files cannot create records in another module's namespace, hence
        this function: with base's naming, a future base release that ships
        these states updates ours instead of failing on unique(country_id, code).
        """
        country = self.env["res.country"].browse(country_id)
        IrModelData = self.env["ir.model.data"]
        existing = {
            state.code: state
            for state in self.with_context(active_test=False).search(
                [("country_id", "=", country.id), ("code", "in", [code for code, _name in states])]
            )
        }
        to_create = [
            {"country_id": country.id, "code": code, "name": name} for code, name in states if code not in existing
        ]
        for state in self.create(to_create):
            existing[state.code] = state
        for code, _name in states:
            xml_name = f"state_{country.code.lower()}_{code.lower()}"
            if not IrModelData.search_count([("module", "=", "base"), ("name", "=", xml_name)]):
                IrModelData.create(
                    {
                        "module": "base",
                        "name": xml_name,
                        "model": self._name,
                        "res_id": existing[code].id,
                        "noupdate": True,
                    }
                )
        return True
