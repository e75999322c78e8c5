"""Fault: PostgreSQL restarts while a background import's chunks are running
(a private cluster served with prefork workers and the job runner, see
postgres_restart_import.sh).

The import is confirmed here (committed: its chunks are queue jobs the
server's runner dispatches); once a chunk job is running, PostgreSQL is
restarted (``pg_ctl restart -m fast``). Expected: the interrupted chunk is
written once in a later attempt (or the import ends "Finished with Errors"
listing its rows), no row is written twice, the runner reconnects and runs the
next jobs, and the import's messages are in Spanish."""

import base64
import os
import re
import sys
import time

import psycopg2
from common import ensure_spanish, env_for, outcome, registry
from postgres_restart import restart_postgres

import odoo

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from generate_customers import write

ROWS = int(os.environ.get("FAULT_IMPORT_ROWS", 6000))
CHUNK = int(os.environ.get("FAULT_IMPORT_CHUNK", 1000))
PATH = f"/tmp/clientes_aduanas_fault_{ROWS}_customers.xlsx"
TIMEOUT = 1200
# What a raw database error looks like (psycopg2's and PostgreSQL's English).
RAW_ERROR = re.compile(
    r"psycopg2|OperationalError|InterfaceError|server closed|connection already closed|terminating connection|"
    r"administrator command|could not connect|Max\. retries",
    re.IGNORECASE,
)


def read(reg, func, attempts=120):
    """``func(env)`` on a fresh cursor, waiting for PostgreSQL to be back."""
    for _attempt in range(attempts):
        try:
            with reg.cursor() as cr:
                return func(env_for(cr, "es_PE"))
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            odoo.sql_db.close_all()  # the pool's connections died with the server
            time.sleep(1)
    raise SystemExit("PostgreSQL did not come back")


def confirm_import(reg, path, chunk, name):
    with open(path, "rb") as handle:
        data = base64.b64encode(handle.read())
    with reg.cursor() as cr:
        env = env_for(cr, "es_PE")(
            context={
                "lang": "es_PE",
                "customer_import_background_threshold": 1,
                "customer_import_chunk_size": chunk,
                "tracking_disable": True,
            }
        )
        wizard = env["customer.import.wizard"].create({"file": data, "filename": name})
        wizard.action_import()
        job_id = wizard.job_id.id
        chunks = len(wizard.job_id.chunk_ids)
        cr.commit()
    return job_id, chunks


def wait_for(reg, job_id, start, deadline):
    state = "running"
    while time.monotonic() - start < deadline:
        state = read(reg, lambda env: env["customer.import.job"].browse(job_id).state)
        if state != "running":
            break
        time.sleep(1)
    return state


def main():
    reg = registry()
    ensure_spanish(reg)
    if not os.path.exists(PATH):
        write(ROWS, PATH, with_contacts=False)
    job_id, chunks = confirm_import(reg, PATH, CHUNK, "reinicio.xlsx")
    start = time.monotonic()

    def running_chunk(env):
        job = env["customer.import.job"].browse(job_id)
        started = env["queue.job"].search(
            [("uuid", "in", job.chunk_ids.mapped("queue_job_uuid")), ("state", "=", "started")], limit=1
        )
        done = len(job.chunk_ids.filtered(lambda c: c.state == "done"))
        return started.uuid, done

    restarted = None
    while time.monotonic() - start < TIMEOUT and not restarted:
        uuid, done_before = read(reg, running_chunk)
        if uuid:
            time.sleep(1.0)  # inside the chunk's writes
            before = time.monotonic()
            restart_postgres()
            restarted = (uuid, done_before, before - start, time.monotonic() - before)
        else:
            time.sleep(0.3)
    odoo.sql_db.close_all()
    state = wait_for(reg, job_id, start, TIMEOUT)
    closed_by_cron = False
    if state == "running":
        # Every queue job ended and the import still waits: the next run of
        # the 5-minute action that closes dead chunks.
        read(reg, lambda env: env["customer.import.job"]._cron_close_dead_chunks())
        state = read(reg, lambda env: env["customer.import.job"].browse(job_id).state)
        closed_by_cron = True
    elapsed = time.monotonic() - start

    def report(env):
        job = env["customer.import.job"].browse(job_id)
        queued = env["queue.job"].search([("uuid", "in", job.chunk_ids.mapped("queue_job_uuid"))])
        hit = queued.filtered(lambda q: restarted and q.uuid == restarted[0])
        env.cr.execute(
            """SELECT count(*), count(DISTINCT (l10n_latam_identification_type_id, customer_vat_key))
                 FROM res_partner WHERE email LIKE %s AND is_registered_customer""",
            ["cliente%@empresa%.example.com"],
        )
        partners, distinct = env.cr.fetchone()
        texts = [job.not_written_summary or "", *job.chunk_ids.mapped(lambda c: c.error or "")]
        texts += [m.body or "" for m in job.message_ids]
        raw = [t for t in texts if RAW_ERROR.search(str(t))]
        return {
            "state": dict(job._fields["state"]._description_selection(env))[job.state],
            "created": job.created_count,
            "failed_rows": job.failed_rows,
            "not_written": job.not_written_summary or "-",
            "hit": f"{hit.state}, attempts {hit.retry}" if hit else "-",
            "jobs": ", ".join(f"{s}: {n}" for s, n in sorted(_count(queued.mapped("state")).items())),
            "partners": partners,
            "distinct": distinct,
            "raw": raw,
            "message": next((m.body for m in job.message_ids if "import" in (m.body or "").lower()), "-"),
        }

    seen = read(reg, report)
    # The runner after the restart: a second, small import must run too.
    write(20, "/tmp/clientes_aduanas_fault_after_restart.xlsx", with_contacts=False)
    next_id, _next_chunks = confirm_import(reg, "/tmp/clientes_aduanas_fault_after_restart.xlsx", 10, "despues.xlsx")
    next_start = time.monotonic()
    next_state = wait_for(reg, next_id, next_start, 300)
    rows = [
        ("import", f"{ROWS} rows in {chunks} chunks of {CHUNK}, confirmed and left to the server's job runner"),
        (
            "restart (pg_ctl restart -m fast)",
            f"{restarted[2]:.1f} s after confirming, {restarted[1]} chunk(s) written, one running; "
            f"PostgreSQL back after {restarted[3]:.1f} s"
            if restarted
            else "NONE (no chunk seen running)",
        ),
        ("interrupted chunk's queue job", seen["hit"]),
        ("the import's queue jobs", seen["jobs"]),
        (
            "import state",
            f"{seen['state']} after {elapsed:.0f} s" + (" (closed by the dead-chunk action)" if closed_by_cron else ""),
        ),
        ("created / rows not written", f"{seen['created']} / {seen['failed_rows']}"),
        ("not written", seen["not_written"]),
        ("customers written / distinct documents", f"{seen['partners']} / {seen['distinct']}"),
        (
            "raw database errors in the import's messages",
            str(len(seen["raw"])) + "".join(f"\n    {t[:200]}" for t in seen["raw"]),
        ),
        ("user's message", re.sub(r"<[^>]+>", "", str(seen["message"]))[:300]),
        ("next import after the restart", f"{next_state} in {time.monotonic() - next_start:.0f} s"),
    ]
    outcome("PostgreSQL restarted during a background import", rows)


def _count(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


if __name__ == "__main__":
    main()
