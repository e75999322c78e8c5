"""PostgreSQL going away while a background import's chunk writes: its
connection is terminated (``pg_terminate_backend``, what a restart does to
every connection) while the chunk waits in the middle of its writes. Real
transactions, committed as in production; queue_job's own controller methods
acquire and run the jobs."""

import base64
import contextlib
import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.jobrunner.runner import Database

from .common import ImportCase, _ruc
from .test_customer_import import customer_row, make_xlsx, ruc_number
from .test_import_dead_jobs import _RunnerConnection

ROWS = 4


def _env(cr, **context):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, **context})


@tagged("post_install", "-at_install")
class TestImportConnectionLost(ImportCase):
    def _committed_import(self, prefix, first):
        rows = [
            customer_row(
                vat=ruc_number(first + i), email=f"{prefix}{i}@perdida.example.pe", name=f"Perdida {prefix} {i}"
            )
            for i in range(ROWS)
        ]
        with self.registry.cursor() as cr:
            env = _env(cr, customer_import_background_threshold=2, customer_import_chunk_size=2)
            wizard = env["customer.import.wizard"].create(
                {"file": base64.b64encode(make_xlsx(rows, [])), "filename": f"{prefix}.xlsx"}
            )
            wizard.action_import()
            job = wizard.job_id
            ids = (job.id, job.chunk_ids.ids, job.chunk_ids.mapped("queue_job_uuid"))
        self.addCleanup(self._forget, ids[0], [row[1] for row in rows])
        return rows, *ids

    def _forget(self, import_id, vats):
        with self.registry.cursor() as cr:
            env = _env(cr)
            cr.execute(
                """DELETE FROM queue_job WHERE graph_uuid IN (
                       SELECT graph_uuid FROM queue_job
                        WHERE uuid IN (SELECT queue_job_uuid FROM customer_import_job_chunk WHERE job_id = %s))""",
                [import_id],
            )
            env["customer.import.job"].browse(import_id).unlink()
            env["res.partner"].with_context(active_test=False).search([("vat", "in", vats)]).unlink()

    def _read(self, func):
        with self.registry.cursor() as cr:
            return func(_env(cr))

    def _dispatch(self, uuid):
        """What the runner does before calling /queue_job/runjob (the job
        enqueued), then the controller acquiring it on a connection of its own."""
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE queue_job SET state = 'enqueued', eta = NULL, "
                "date_enqueued = now() AT TIME ZONE 'utc' WHERE uuid = %s",
                [uuid],
            )
        cr = self.registry.cursor()
        env = _env(cr)
        job = RunJobController._acquire_job(env, uuid)
        self.assertTrue(job, "the controller acquires the job")
        return cr, env, job

    def _run(self, uuid):
        cr, env, job = self._dispatch(uuid)
        # Committed on the way out: outside tests the controller commits itself.
        with cr:
            RunJobController._runjob(env, job)

    def _holding_email(self, email):
        """Another user registering ``email`` (one of the chunk's rows)."""
        return lambda cr: _env(cr)["res.partner"].create(
            self._pe_vals(vat=_ruc("2074000001"), email=email, name="Bloqueo")
        )

    def _run_while_the_database_goes_away(self, uuid, hold):
        """Run the job while another transaction holds what it must write
        (``hold(cr)``): once the job waits on it, its connection is
        terminated. Returns what the controller raised, if anything."""
        blocker = self.registry.cursor()
        hold(blocker)
        cr, env, job = self._dispatch(uuid)
        cr.execute("SELECT pg_backend_pid()")
        [pid] = cr.fetchone()
        raised = []

        def worker():
            try:
                RunJobController._runjob(env, job)
            except Exception as err:
                raised.append(err)

        thread = threading.Thread(target=worker)
        try:
            with self.assertLogs("odoo.sql_db", "ERROR") as logs:  # the statement that was cut
                thread.start()
                self._wait_until_waiting(pid)
                with self.registry.cursor() as admin_cr:
                    admin_cr.execute("SELECT pg_terminate_backend(%s)", [pid])
                thread.join(60)
            self.assertIn("server closed the connection", "\n".join(logs.output))
        finally:
            blocker.rollback()
            blocker.close()
            with contextlib.suppress(Exception):
                cr.close()
        return raised

    def _runner_requeues_dead_jobs(self, uuid):
        """queue_job postpones the job in a new transaction; what that could
        not write (PostgreSQL still restarting, or the postponement left
        unflushed by the controller) is a job started whose lock died with its
        connection: the runner's own requeue method, a minute later."""
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE queue_job SET date_enqueued = date_enqueued - interval '1 minute' "
                "WHERE uuid = %s AND state IN ('enqueued', 'started')",
                [uuid],
            )
            runner_db = Database.__new__(Database)  # no connection of its own, no master lock
            runner_db.conn = _RunnerConnection(cr)
            runner_db.requeue_dead_jobs()

    def _wait_until_waiting(self, pid):
        for _attempt in range(200):
            with self.registry.cursor() as cr:
                cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
                row = cr.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.05)
        self.fail("the chunk never waited on the row held by the other transaction")

    def _state(self, import_id, uuids):
        def read(env):
            job = env["customer.import.job"].browse(import_id)
            queued = {q.uuid: q for q in env["queue.job"].search([("uuid", "in", uuids)])}
            return {
                "import": (job.state, job.created_count, job.failed_rows),
                "chunks": [(c.state, c.error or "") for c in job.chunk_ids],
                "jobs": [(queued[u].state, queued[u].retry, queued[u].eta) for u in uuids],
            }

        return self._read(read)

    def _closing_job(self, import_id):
        return self._read(
            lambda env: env["queue.job"]
            .search(
                [
                    ("model_name", "=", "customer.import.job"),
                    ("method_name", "=", "_finish"),
                    ("state", "=", "pending"),
                ]
            )
            .filtered(lambda q: q.records.ids == [import_id])
            .uuid
        )

    def _count(self, vats):
        return self._read(
            lambda env: env["res.partner"].with_context(active_test=False).search_count([("vat", "in", vats)])
        )

    def test_chunk_cut_by_a_lost_connection_is_retried_and_written_once(self):
        rows, import_id, _chunks, uuids = self._committed_import("r", 72000000)
        raised = self._run_while_the_database_goes_away(uuids[0], self._holding_email("r1@perdida.example.pe"))
        self._runner_requeues_dead_jobs(uuids[0])
        state = self._state(import_id, uuids)
        job_state, retry, _eta = state["jobs"][0]
        self.assertEqual(job_state, "pending", f"another attempt, not a failed job ({raised})")
        self.assertEqual(retry, 1)
        self.assertEqual(state["chunks"][0], ("pending", ""), "nothing recorded: nothing was written")
        self.assertEqual(self._count([row[1] for row in rows[:2]]), 0, "the cut transaction wrote nothing")

        self._run(uuids[0])
        self._run(uuids[1])
        self._run(self._closing_job(import_id))
        state = self._state(import_id, uuids)
        self.assertEqual(state["import"], ("done", ROWS, 0))
        self.assertEqual(self._count([row[1] for row in rows]), ROWS, "each row written once")

    def test_lost_connection_on_the_last_attempt_closes_the_import_in_words(self):
        rows, import_id, chunk_ids, uuids = self._committed_import("f", 72100000)
        with self.registry.cursor() as cr:
            cr.execute("UPDATE queue_job SET max_retries = 1 WHERE uuid = %s", [uuids[0]])
        self._run(uuids[1])
        with self.assertLogs("odoo.addons.queue_job.controllers.main", "ERROR"):
            self._run_while_the_database_goes_away(uuids[0], self._holding_email("f1@perdida.example.pe"))
        self.assertEqual(self._state(import_id, uuids)["jobs"][0][0], "failed")

        closed = self._read(lambda env: env["customer.import.job"]._cron_close_dead_chunks().ids)
        self.assertEqual(closed, [import_id])
        state = self._state(import_id, uuids)
        self.assertEqual(state["import"], ("failed", 2, 2))
        error = state["chunks"][0][1]
        self.assertIn("Rows 2 to 3 were not imported", error)
        self.assertIn("could not reach the database", error)
        for raw in ("psycopg2", "Max. retries", "terminating connection", "connection already closed"):
            self.assertNotIn(raw, error)

        # Retry once the database is back: the rows are written, once.
        self._read(lambda env: env["customer.import.job"].browse(import_id).action_retry_failed())
        self._run(self._read(lambda env: env["customer.import.job.chunk"].browse(chunk_ids[0]).queue_job_uuid))
        self._run(self._closing_job(import_id))
        self.assertEqual(self._state(import_id, uuids)["import"], ("done", ROWS, 0))
        self.assertEqual(self._count([row[1] for row in rows]), ROWS)

    def test_closing_job_cut_by_a_lost_connection_is_retried(self):
        """Every chunk written, the closing job loses its connection while it
        writes the final state: retried, not failed (the import would stay
        "Running" for good)."""
        rows, import_id, _chunk_ids, uuids = self._committed_import("c", 72200000)
        self._run(uuids[0])
        self._run(uuids[1])
        closing = self._closing_job(import_id)
        self._run_while_the_database_goes_away(
            closing,
            lambda cr: cr.execute("SELECT id FROM customer_import_job WHERE id = %s FOR UPDATE", [import_id]),
        )
        self._runner_requeues_dead_jobs(closing)
        state = self._read(lambda env: env["queue.job"].search([("uuid", "=", closing)]).state)
        self.assertEqual(state, "pending", "another attempt, not a failed job")
        self.assertEqual(self._state(import_id, uuids)["import"][0], "running")

        self._run(closing)
        self.assertEqual(self._state(import_id, uuids)["import"], ("done", ROWS, 0))
        self.assertEqual(self._count([row[1] for row in rows]), ROWS)
