"""Customs files of an existing database may link quotations or invoices of
another customer (linked before the constraint existed). Nothing is unlinked
(the staff decide); the portal already hides them. Each one is reported in
the server log so that the staff can correct it."""

import logging

_logger = logging.getLogger(__name__)

QUERY = """
    SELECT f.name, 'sale.order', o.name
      FROM customs_file_sale_order_rel r
      JOIN customs_file f ON f.id = r.customs_file_id
      JOIN sale_order o ON o.id = r.sale_order_id
      JOIN res_partner p ON p.id = o.partner_id
     WHERE p.commercial_partner_id IS DISTINCT FROM f.commercial_partner_id
    UNION ALL
    SELECT f.name, 'account.move', m.name
      FROM customs_file_account_move_rel r
      JOIN customs_file f ON f.id = r.customs_file_id
      JOIN account_move m ON m.id = r.move_id
     WHERE m.commercial_partner_id IS DISTINCT FROM f.commercial_partner_id
        OR m.move_type NOT IN ('out_invoice', 'out_refund')
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(QUERY)
    for file_name, model, document in cr.fetchall():
        _logger.warning(
            "Customs file %s links %s %s of another customer: unlink it (it is no longer shown on the portal).",
            file_name,
            model,
            document,
        )
