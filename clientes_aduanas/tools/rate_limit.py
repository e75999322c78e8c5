"""Requests per minute to an outside service, counted for every worker and
machine together: PostgreSQL is the only state they share.

One plain table (no model), keyed by a caller-chosen text (the document
lookup uses one key per provider, the WhatsApp addon one per account). Each
count is written and committed in a short transaction of its own: its row
lock lasts microseconds instead of the caller's whole request, and a request
that was sent stays counted when the caller's transaction rolls back.
"""

from odoo.tools import SQL

TABLE = "clientes_aduanas_rate_limit"


def create_table(cr):
    cr.execute(
        SQL(
            """CREATE TABLE IF NOT EXISTS %s (
            key varchar NOT NULL,
            minute timestamp NOT NULL,
            hits integer NOT NULL,
            PRIMARY KEY (key, minute)
        )""",
            SQL.identifier(TABLE),
        )
    )


def take(registry, key, limit):
    """Count one request for ``key`` in the current minute. ``True`` when it
    is within ``limit`` (a limit of 0 or less means no limit), ``False`` when
    the minute's quota is spent (nothing is counted then)."""
    if limit <= 0:
        return True
    table = SQL.identifier(TABLE)
    with registry.cursor() as rate_cr:
        # READ COMMITTED: concurrent counts of the same minute wait for each
        # other's row and add up. Under Odoo's REPEATABLE READ, a count
        # committed after this transaction began failed this one with a
        # serialization error (20 lookups at once lost one).
        rate_cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        # A count lost in a crash is harmless: no wait for the disk at commit.
        rate_cr.execute("SET LOCAL synchronous_commit TO OFF")
        rate_cr.execute(
            SQL(
                """INSERT INTO %(table)s AS r (key, minute, hits)
                VALUES (%(key)s, date_trunc('minute', now() at time zone 'utc'), 1)
                ON CONFLICT (key, minute) DO UPDATE SET hits = r.hits + 1
                 WHERE r.hits < %(limit)s
                RETURNING hits""",
                table=table,
                key=key,
                limit=limit,
            )
        )
        row = rate_cr.fetchone()
        if row and row[0] == 1:
            # First request of a minute: forget the minutes gone by.
            rate_cr.execute(
                SQL(
                    "DELETE FROM %s WHERE key = %s AND minute < date_trunc('minute', now() at time zone 'utc')",
                    table,
                    key,
                )
            )
        rate_cr.commit()
    return bool(row)
