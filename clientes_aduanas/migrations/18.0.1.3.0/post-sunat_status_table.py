"""The SUNAT status moved from columns of res_partner to a row of
res_partner_sunat_status per partner (the padrón check no longer rewrites
every partner row). The module update created the table and left the old
columns: their values become rows here, then the columns go, so nothing
reads a stale copy."""

import logging

from odoo.tools import SQL, sql

from odoo.addons.clientes_aduanas.models.res_partner_sunat_status import PARTNER_FIELDS

_logger = logging.getLogger(__name__)

# Each old res_partner column is named as the partner field that now shows
# the status row's column.
COLUMNS = PARTNER_FIELDS


def migrate(cr, version):
    if not version or not sql.column_exists(cr, "res_partner", "sunat_taxpayer_state"):
        return
    # A partner with any status value keeps it; one without has no row.
    cr.execute(
        SQL(
            """INSERT INTO res_partner_sunat_status (partner_id, %s)
               SELECT id, %s FROM res_partner
                WHERE sunat_taxpayer_state IS NOT NULL OR sunat_taxpayer_condition IS NOT NULL
                   OR sunat_status_date IS NOT NULL OR sunat_absent OR sunat_data_differs
               ON CONFLICT (partner_id) DO NOTHING""",
            SQL(", ").join(map(SQL.identifier, COLUMNS.values())),
            SQL(", ").join(map(SQL.identifier, COLUMNS)),
        )
    )
    _logger.info("SUNAT status of %s partners moved to res_partner_sunat_status", cr.rowcount)
    for column in COLUMNS:
        cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN IF EXISTS %s", SQL.identifier(column)))
