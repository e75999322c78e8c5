from odoo.tests import tagged

from ..models.res_partner_uniqueness import GIN_PENDING_LIST_KB
from .common import ClientesAduanasCase


@tagged("post_install", "-at_install")
class TestSearchBoxIndexes(ClientesAduanasCase):
    def test_trigram_indexes_keep_a_small_pending_list(self):
        """Every search of the Clientes box reads the GIN pending list:
        PostgreSQL's 4 MB default, filled by an import, made each search
        several times slower until autovacuum came by."""
        self.env.cr.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'res_partner_customer_%%_trgm_idx'"
        )
        options = dict(self.env.cr.fetchall())
        self.assertEqual(len(options), 3)
        for name, reloptions in options.items():
            self.assertIn(f"gin_pending_list_limit={GIN_PENDING_LIST_KB}", reloptions or [], name)
