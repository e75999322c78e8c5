"""Requests per minute to an outside service, counted for every worker and
machine together: PostgreSQL is the only state they share.

One plain table (no model), keyed by a caller-chosen text (the document
lookup uses one key per provider, the WhatsApp addon one per account). Each
count is written and committed in a short transaction of its own: its row
lock lasts microseconds instead of the caller's whole request, and a request
that was sent stays counted when the caller's transaction rolls back.
"""

import random
import time

import psycopg2.errors

from odoo.tools import SQL

TABLE = "clientes_aduanas_rate_limit"
ATTEMPTS = 10


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
    for attempt in range(ATTEMPTS):
        try:
            return _take_once(registry, table, key, limit)
        except psycopg2.errors.SerializationFailure:
            # Another worker counted in this minute after this transaction
            # began (Odoo's transactions are REPEATABLE READ): count again in
            # a new one. 20 lookups at once lost one count before.
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.005 * 2**attempt))
    return False


def _take_once(registry, table, key, limit):
    with registry.cursor() as rate_cr:
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
            ),
            log_exceptions=False,
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
