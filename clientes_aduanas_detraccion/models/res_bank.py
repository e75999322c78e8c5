from odoo import api, models

NATIONAL_BANK_BIC = "BANCPEPL"
OWN_XMLID = "clientes_aduanas_detraccion.res_bank_banco_nacion"


class ResBank(models.Model):
    _inherit = "res.bank"

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
