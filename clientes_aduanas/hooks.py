"""Uninstalling the addon keeps the customers' data Odoo understands."""

import logging

from odoo.tools import SQL

from .models.document_lookup_provider import RATE_TABLE
from .tools.sunat_padron import CURRENT, SLOTS, STAGING

_logger = logging.getLogger(__name__)

# Indexes on columns Odoo keeps (the others go with the addon's columns).
KEPT_COLUMN_INDEXES = (
    "res_partner_lower_email_idx",
    "res_partner_email_normalized_idx",
    "account_move_commercial_partner_move_type_idx",
)


def uninstall_hook(env):
    cr = env.cr
    # The identification types the addon created (RTN, Identidad; RUC/DNI
    # without l10n_pe) are the document type of customers: Odoo would delete
    # them with the addon's data. Without the addon's xml ids they stay.
    cr.execute(
        """DELETE FROM ir_model_data
            WHERE module = 'clientes_aduanas' AND model = 'l10n_latam.identification.type'
        RETURNING res_id"""
    )
    kept = [row[0] for row in cr.fetchall()]
    _logger.info("clientes_aduanas uninstall: %s identification types kept", len(kept))
    # The padrón's two slots and their pointer, the staging table, and the
    # shared rate counter (with the lookups' own one of version 18.0.1.0.0).
    for table in (*SLOTS.values(), CURRENT, STAGING, RATE_TABLE, "clientes_aduanas_lookup_rate"):
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
    for index in KEPT_COLUMN_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
