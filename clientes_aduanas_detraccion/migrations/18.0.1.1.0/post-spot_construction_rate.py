"""Construction contracts (030) went from 5 % to 4 % with R.S. 343-2014/SUNAT
(operations from 2015-01-01), not with R.S. 071-2018/SUNAT as the first
catalogue said. The catalogue is noupdate: its two rows are moved here, only
when they still hold what the first version loaded (a company's own
correction is kept)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    before = env.ref("clientes_aduanas_detraccion.detraction_rate_030_before_2018", raise_if_not_found=False)
    current = env.ref("clientes_aduanas_detraccion.detraction_rate_030", raise_if_not_found=False)
    if not (before and current):
        return
    if str(before.date_to) != "2018-03-31" or str(current.date_from) != "2018-04-01":
        return
    # The old row first: the rows of a code may never overlap.
    before.write({"date_to": "2014-12-31", "legal_basis": "R.S. 293-2010/SUNAT (Anexo 3, numeral 9)"})
    current.write({"date_from": "2015-01-01", "legal_basis": "R.S. 343-2014/SUNAT (Anexo 3, numeral 9)"})
