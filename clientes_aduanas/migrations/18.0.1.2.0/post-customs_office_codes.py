"""The first catalogue of Honduran customs offices coded them with mnemonics
(PCO, TGU...); the data file now carries Aduanas Honduras' four-digit codes
(0004 Puerto Cortés). The records are noupdate, so an existing database gets
the new code here, by xml id, only where the record still holds the
mnemonic: a code the administrator already corrected is left alone."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# xml id (clientes_aduanas.customs_office_hn_<key>) -> (mnemonic, official code)
CODES = {
    "pco": ("PCO", "0004"),
    "tgu": ("TGU", "0015"),
    "sap": ("SAP", "0013"),
    "lce": ("LCE", "0002"),
    "pca": ("PCA", "0009"),
    "slo": ("SLO", "0003"),
    "roa": ("ROA", "0006"),
    "ama": ("AMA", "0023"),
    "gua": ("GUA", "0029"),
    "flo": ("FLO", "0024"),
    "agc": ("AGC", "0020"),
    "cor": ("COR", "0016"),
    "poy": ("POY", "0025"),
    "man": ("MAN", "0034"),
    "tgi": ("TGI", "0014"),
    "spi": ("SPI", "0011"),
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    Office = env["customs.office"]
    for key, (mnemonic, code) in CODES.items():
        office = env.ref(f"clientes_aduanas.customs_office_hn_{key}", raise_if_not_found=False)
        if not office or office.code != mnemonic:
            continue
        # Another office already holding the code (an administrator's own
        # record) would break unique(code, country): leave both as they are.
        if Office.search_count([("country_id", "=", office.country_id.id), ("code", "=", code)]):
            _logger.warning("Customs office %s keeps code %s: %s is already used.", office.name, mnemonic, code)
            continue
        office.code = code
        _logger.info("Customs office %s: code %s replaced by %s.", office.name, mnemonic, code)
