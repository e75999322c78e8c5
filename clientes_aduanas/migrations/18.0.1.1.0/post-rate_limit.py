"""The lookups' per-minute counter moved to the shared rate-limit table
(tools/rate_limit.py, created by the module's init); the old table held only
counts of minutes gone by."""


def migrate(cr, version):
    cr.execute("DROP TABLE IF EXISTS clientes_aduanas_lookup_rate")
