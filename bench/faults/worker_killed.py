"""Fault: a worker is SIGKILLed in the middle of a background import's chunk.

Needs a server with prefork workers and queue_job's runner on the database
(bench/faults/worker_killed.sh starts one). The import is confirmed here
(committed: its chunks are queue jobs the server's runner dispatches); when
a chunk job is running, its worker (queue_job stores its pid) is killed.
Expected: the runner requeues the job (its dead-job handling), the import
ends "Done", and no row is written twice."""

import base64
import os
import signal
import sys
import time

from common import env_for, outcome, registry

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from generate_customers import write

ROWS = int(os.environ.get("FAULT_IMPORT_ROWS", 6000))
PATH = f"/tmp/clientes_aduanas_fault_{ROWS}_customers.xlsx"
TIMEOUT = 900


def main():
    reg = registry()
    if not os.path.exists(PATH):
        write(ROWS, PATH, with_contacts=False)
    with open(PATH, "rb") as handle:
        data = base64.b64encode(handle.read())
    with reg.cursor() as cr:
        env = env_for(cr, "en_US")(context={"customer_import_background_threshold": 1000, "tracking_disable": True})
        wizard = env["customer.import.wizard"].create({"file": data, "filename": "fault.xlsx"})
        wizard.action_import()
        job_id = wizard.job_id.id
        chunks = len(wizard.job_id.chunk_ids)
        cr.commit()
    killed = None
    start = time.monotonic()
    while time.monotonic() - start < TIMEOUT:
        with reg.cursor() as cr:
            env = env_for(cr, "en_US")
            job = env["customer.import.job"].browse(job_id)
            if killed is None:
                started = env["queue.job"].search(
                    [
                        ("uuid", "in", job.chunk_ids.mapped("queue_job_uuid")),
                        ("state", "=", "started"),
                        ("worker_pid", "!=", 0),
                    ],
                    limit=1,
                )
                if started:
                    time.sleep(0.5)  # inside the chunk's writes
                    os.kill(started.worker_pid, signal.SIGKILL)
                    killed = (started.uuid, started.worker_pid, time.monotonic() - start)
            if job.state != "running":
                break
        time.sleep(0.5)
    with reg.cursor() as cr:
        env = env_for(cr, "en_US")
        job = env["customer.import.job"].browse(job_id)
        queued = env["queue.job"].search([("uuid", "=", killed[0])]) if killed else env["queue.job"]
        cr.execute(
            """SELECT count(*), count(DISTINCT customer_vat_key) FROM res_partner
                WHERE email LIKE %s AND is_registered_customer""",
            ["cliente%@empresa%.example.com"],
        )
        partners, distinct = cr.fetchone()
        rows = [
            ("import", f"{ROWS} rows in {chunks} chunks, confirmed and left to the server's job runner"),
            (
                "worker killed",
                f"pid {killed[1]} (SIGKILL) {killed[2]:.1f} s after confirming, while running a chunk"
                if killed
                else "NONE (no chunk seen running)",
            ),
            ("killed chunk's queue job", f"{queued.state}, attempts {queued.retry}" if queued else "-"),
            ("import state", f"{job.state} after {time.monotonic() - start:.0f} s"),
            ("created / rows not written", f"{job.created_count} / {job.failed_rows}"),
            ("customers written / distinct documents", f"{partners} / {distinct} (no row written twice)"),
        ]
    outcome("Worker killed in the middle of a background import's chunk", rows)


if __name__ == "__main__":
    main()
