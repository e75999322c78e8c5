"""SUNAT's "padrón reducido del RUC" (padron_reducido_ruc.zip): streamed
parsing and a COPY-based load into PostgreSQL with bounded memory.

The file is Latin-1, pipe-separated, 15 columns plus a trailing ``|``, with a
header line. Its DEPARTAMENTO column is the apartment number of the address:
the region comes from UBIGEO.
"""

import io
import itertools
import re
import time
import zipfile

import psycopg2.errors
from psycopg2 import sql

from . import document_number as dn

TABLE = "clientes_aduanas_sunat_padron"
STAGING = "clientes_aduanas_sunat_padron_staging"
SLOTS = {"a": TABLE + "_a", "b": TABLE + "_b"}
CURRENT = TABLE + "_current"
# Loads begun and not yet known to have ended: one row per load, committed
# when it starts, in a transaction of its own (see sunat.padron.load).
ATTEMPTS = TABLE + "_attempt"
COLUMNS = 15
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NAME_MAX = 250
EXAMPLES = 5


_EMPTY = frozenset(("-", "--", "----"))


def _clean(value):
    value = value.strip()
    return "" if value in _EMPTY else value


def compose_street(via_type, via_name, zone_code, zone_type, number, interior, lot, apartment, block, km):
    """The street line SUNAT's site shows, from the address columns."""
    parts = [f"{via_type} {via_name}".strip()]
    for label, value in (
        ("NRO.", number),
        ("INT.", interior),
        ("DPTO.", apartment),
        ("MZA.", block),
        ("LOTE", lot),
        ("KM.", km),
    ):
        if value:
            parts.append(f"{label} {value}")
    if zone_code or zone_type:
        parts.append(f"{zone_code} {zone_type}".strip())
    return " ".join(p for p in parts if p)[:NAME_MAX]


class PadronEmptyError(Exception):
    """The file had no usable row; the live table was left as it was."""

    def __init__(self, stats):
        super().__init__("no usable row")
        self.stats = stats


class PadronBusyError(Exception):
    """Another transaction is loading the padrón, or has just replaced it
    after this transaction began: this load does not start."""


class PadronStats:
    def __init__(self):
        self.read = 0
        self.loaded = 0
        self.skipped = {"fields": 0, "encoding": 0, "ruc": 0}
        self.examples = {"fields": [], "encoding": [], "ruc": []}
        self.duplicates = 0
        self.duplicate_examples = []
        self.summary = {}
        self.load_record = None
        self.seconds = {}

    def skip(self, reason, line_number, text):
        self.skipped[reason] += 1
        if len(self.examples[reason]) < EXAMPLES:
            self.examples[reason].append(f"{line_number}: {_UNPRINTABLE.sub('?', text[:80])}")


def _decode(raw):
    """Text of a padrón line, or None when its bytes make no sense.

    SUNAT publishes Latin-1 (in practice Windows-1252); a file re-saved as
    UTF-8 is accepted too. Pure ASCII lines decode the same either way;
    a Latin-1 "Ñ" is never valid UTF-8, so trying UTF-8 first is safe.
    The C1 range (0x80-0x9f) is no text in Latin-1 and bytes undefined in
    Windows-1252 make the line unreadable."""
    if raw.isascii():
        return raw.decode("ascii").rstrip("\r\n")
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError:
            continue
    return None


def parse_lines(binary_lines, stats):
    """Yield one COPY text line per usable row of the padrón."""
    for line_number, raw in enumerate(binary_lines, start=1):
        if line_number == 1 and raw.upper().startswith(b"RUC|"):
            continue  # header
        stats.read += 1
        text = _decode(raw)
        if text is None or _CONTROL.search(text):
            stats.skip("encoding", line_number, raw.decode("latin-1").rstrip("\r\n"))
            continue
        cells = text.split("|")
        if cells and cells[-1] == "":
            cells = cells[:-1]  # the trailing pipe
        if len(cells) != COLUMNS:
            stats.skip("fields", line_number, text)
            continue
        # _clean, inlined: this runs for 90 million cells of the real file.
        cells = ["" if (value := cell.strip()) in _EMPTY else value for cell in cells]
        ruc = cells[0]
        if not dn.is_valid(dn.PE_RUC, ruc):
            stats.skip("ruc", line_number, text)
            continue
        if not cells[1]:
            stats.skip("fields", line_number, text)
            continue
        street = compose_street(*cells[5:15])
        values = (ruc, cells[1][:NAME_MAX], cells[2][:40], cells[3][:40], cells[4][:6], street)
        stats.loaded += 1
        if "\\" in text or "\t" in text:
            values = [v.replace("\\", "\\\\").replace("\t", " ") for v in values]
        yield "\t".join(values) + "\n"


class _LineStream(io.RawIOBase):
    """A read-only byte stream over a generator of text lines, for COPY."""

    def __init__(self, lines):
        self._lines = lines
        self._buffer = bytearray()

    def readable(self):
        return True

    def readinto(self, target):
        # Lines are encoded in batches into a bytearray (amortised appends,
        # prefix deletion): appending line by line to a bytes object copies
        # the whole buffer each time, which made a 1 MB read quadratic.
        wanted = len(target)
        while len(self._buffer) < wanted:
            batch = "".join(itertools.islice(self._lines, 4096))
            if not batch:
                break
            self._buffer += batch.encode("utf-8")
        size = min(wanted, len(self._buffer))
        target[:size] = self._buffer[:size]
        del self._buffer[:size]
        return size


def open_padron(path):
    """Binary line iterator over a .zip (first .txt member) or a .txt."""
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        member = next((n for n in archive.namelist() if n.lower().endswith(".txt")), archive.namelist()[0])
        return archive.open(member)
    return open(path, "rb")  # closed by the caller (with-statement)


def _q(query, target=None):
    """Compose ``query`` with the table names as SQL identifiers."""
    return sql.SQL(query).format(
        staging=sql.Identifier(STAGING),
        current=sql.Identifier(CURRENT),
        attempts=sql.Identifier(ATTEMPTS),
        slot_a=sql.Identifier(SLOTS["a"]),
        slot_b=sql.Identifier(SLOTS["b"]),
        target=sql.Identifier(SLOTS[target or "a"]),
        target_pkey=sql.Identifier(SLOTS[target or "a"] + "_pkey"),
    )


_COLUMNS = """(
    ruc varchar(11) CONSTRAINT {target_pkey} PRIMARY KEY,
    name varchar NOT NULL,
    taxpayer_state varchar,
    taxpayer_condition varchar,
    ubigeo varchar(6),
    street varchar
)"""


def create_table(cr):
    """Two tables take turns holding the padrón; the one-row table CURRENT
    says which one lookups read. A refresh fills the other one and moves
    the pointer in its transaction: nothing lookups read is locked or
    rewritten, so they never wait, and a lookup sees either the old data or
    the new, never an empty table (a table dropped and renamed in a
    transaction is empty for a snapshot older than that transaction)."""
    for slot in SLOTS:
        cr.execute(_q("CREATE TABLE IF NOT EXISTS {target} " + _COLUMNS, slot))
    cr.execute(
        _q(
            """CREATE TABLE IF NOT EXISTS {current} (
                slot char(1) NOT NULL CHECK (slot IN ('a', 'b')),
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton)
            )"""
        )
    )
    cr.execute(_q("INSERT INTO {current} (slot) VALUES ('a') ON CONFLICT DO NOTHING"))
    cr.execute(
        _q(
            """CREATE TABLE IF NOT EXISTS {attempts} (
                token varchar PRIMARY KEY,
                started timestamp NOT NULL,
                provider_id integer,
                file_name varchar,
                user_id integer
            )"""
        )
    )


def lock(cr):
    """Lock the pointer row for this transaction's load and return the
    active slot, or raise :class:`PadronBusyError` at once.

    NOWAIT: a second load does not queue behind the first for minutes and
    then fail on a serialization error (the transactions run in REPEATABLE
    READ, and the first one moved the pointer); the same error, raised at
    once when the first load committed after this transaction began, is
    refused the same way. Neither is logged as a bad query."""
    try:
        with cr.savepoint(flush=False):
            cr.execute(_q("SELECT slot FROM {current} FOR UPDATE NOWAIT"), log_exceptions=False)
            return cr.fetchone()[0]
    except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure) as err:
        raise PadronBusyError(str(err)) from err


def record_attempt(cr, token, provider_id, file_name, user_id):
    cr.execute(
        _q(
            "INSERT INTO {attempts} (token, started, provider_id, file_name, user_id) "
            "VALUES (%s, now() AT TIME ZONE 'utc', %s, %s, %s)"
        ),
        [token, provider_id, file_name, user_id],
    )


def forget_attempts(cr, tokens):
    cr.execute(_q("DELETE FROM {attempts} WHERE token = ANY(%s)"), [list(tokens)])


def attempts(cr):
    """(token, started, provider_id, file_name, user_id) of the loads begun."""
    cr.execute(_q("SELECT token, started, provider_id, file_name, user_id FROM {attempts} ORDER BY started"))
    return cr.fetchall()


def active_table(cr):
    """Name of the table the lookups read now."""
    cr.execute(_q("SELECT slot FROM {current}"))
    return SLOTS[cr.fetchone()[0]]


def load(cr, binary_lines, before_swap=None):
    """COPY the rows into a staging table, then into the table lookups do
    not read, and point to it: lookups keep reading the old data until
    commit, without waiting. Duplicated RUCs keep their first row.
    ``before_swap(table, stats)`` runs on the complete new table. A second
    load at once is refused (:class:`PadronBusyError`, see :func:`lock`).
    Returns :class:`PadronStats`."""
    stats = PadronStats()
    started = time.monotonic()

    def lap(step):
        nonlocal started
        now = time.monotonic()
        stats.seconds[step] = round(now - started, 2)
        started = now

    target = "b" if lock(cr) == "a" else "a"
    cr.execute(_q("DROP TABLE IF EXISTS {staging}"))
    cr.execute(
        _q(
            """CREATE UNLOGGED TABLE {staging} (
                line bigserial, ruc varchar(11), name varchar, taxpayer_state varchar,
                taxpayer_condition varchar, ubigeo varchar(6), street varchar)"""
        )
    )
    stream = io.BufferedReader(_LineStream(parse_lines(binary_lines, stats)), buffer_size=1 << 20)
    cr.copy_expert(
        _q("COPY {staging} (ruc, name, taxpayer_state, taxpayer_condition, ubigeo, street) FROM STDIN"), stream
    )
    lap("copy")
    if not stats.loaded:
        # A wrong or truncated file must not empty the live table.
        cr.execute(_q("DROP TABLE {staging}"))
        raise PadronEmptyError(stats)
    cr.execute(
        f"SELECT ruc, count(*) FROM {STAGING} GROUP BY ruc HAVING count(*) > 1 ORDER BY ruc LIMIT %s", [EXAMPLES]
    )
    stats.duplicate_examples = [f"{ruc} ({count}x)" for ruc, count in cr.fetchall()]
    # The other slot is read by nobody (the pointer moved away from it at
    # the previous load): emptied, filled without its index, re-indexed.
    # Lookups name the active slot alone, so they take no lock on this one.
    cr.execute(_q("TRUNCATE {target}", target))
    cr.execute(_q("ALTER TABLE {target} DROP CONSTRAINT IF EXISTS {target_pkey}", target))
    cr.execute(
        _q(
            """INSERT INTO {target} (ruc, name, taxpayer_state, taxpayer_condition, ubigeo, street)
              SELECT DISTINCT ON (ruc) ruc, name, taxpayer_state, taxpayer_condition, ubigeo, street
                FROM {staging} ORDER BY ruc, line""",
            target,
        )
    )
    distinct = cr.rowcount
    stats.duplicates = stats.loaded - distinct
    stats.loaded = distinct
    cr.execute(_q("DROP TABLE {staging}"))
    lap("deduplicate")
    cr.execute(_q("ALTER TABLE {target} ADD CONSTRAINT {target_pkey} PRIMARY KEY (ruc)", target))
    cr.execute(_q("ANALYZE {target}", target))
    lap("index")
    if before_swap is not None:
        before_swap(SLOTS[target], stats)
        lap("check")
    cr.execute(_q("UPDATE {current} SET slot = %s"), [target])
    lap("swap")
    return stats


def lookup(cr, ruc):
    cr.execute(_q("SELECT slot FROM {current}"))
    cr.execute(
        _q(
            "SELECT ruc, name, taxpayer_state, taxpayer_condition, ubigeo, street FROM {target} WHERE ruc = %s",
            cr.fetchone()[0],
        ),
        [ruc],
    )
    row = cr.fetchone()
    if not row:
        return None
    keys = ("vat", "name", "taxpayer_state", "taxpayer_condition", "ubigeo", "street")
    return dict(zip(keys, row, strict=True))
