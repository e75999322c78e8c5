from odoo import api, models

NATIONAL_BANK_BIC = "BANCPEPL"
OWN_XMLID = "clientes_aduanas_detraccion.res_bank_banco_nacion"
L10N_PE_XMLID = "l10n_pe.peruvian_national_bank"


class ResBank(models.Model):
    _inherit = "res.bank"

    @api.model
    def _load_records(self, data_list, update=False, ignore_duplicates=False):
        """l10n_pe installed after this addon: its Banco de la Nación is the
        record this addon created (the company's detracción account is
        already on it), so its external id is given to that record before
        l10n_pe loads it, which then updates it instead of creating a second
        bank with the same BIC. Both external ids stay: uninstalling either
        module keeps the bank."""
        if any(data.get("xml_id") == L10N_PE_XMLID for data in data_list):
            own = self.env.ref(OWN_XMLID, raise_if_not_found=False)
            if own and not self.env.ref(L10N_PE_XMLID, raise_if_not_found=False):
                module, name = L10N_PE_XMLID.split(".")
                self.env["ir.model.data"].sudo().create(
                    {"module": module, "name": name, "model": self._name, "res_id": own.id}
                )
        return super()._load_records(data_list, update=update, ignore_duplicates=ignore_duplicates)

    @api.model
    def _detraction_national_bank(self):
        """Banco de la Nación, where SUNAT's detracción accounts live: the
        record of l10n_pe when installed (also when it is installed after
        this addon), else any bank with its BIC, else a record of our own."""
        bank = self.env.ref("l10n_pe.peruvian_national_bank", raise_if_not_found=False)
        bank = bank or self.search([("bic", "=", NATIONAL_BANK_BIC)], limit=1)
        bank = bank or self.env.ref(OWN_XMLID, raise_if_not_found=False)
        if bank:
            return bank
        bank = self.sudo().create(
            {"name": "Banco de la Nación", "bic": NATIONAL_BANK_BIC, "country": self.env.ref("base.pe").id}
        )
        self.env["ir.model.data"].sudo().create(
            {
                "module": "clientes_aduanas_detraccion",
                "name": OWN_XMLID.split(".")[1],
                "model": "res.bank",
                "res_id": bank.id,
                "noupdate": True,
            }
        )
        return bank
