import base64
import io

import openpyxl

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.jobrunner.runner import Database

from .test_customer_import import ImportCase, customer_row, make_xlsx, ruc_number


class _RunnerConnection:
    """The runner's autocommit connection, over the test's transaction: the
    runner's own requeue method runs unchanged on the jobs stored here."""

    def __init__(self, cr):
        self._cr = cr

    def cursor(self):
        return self

    def execute(self, query, params=None):
        self._cr.execute(query, params)

    def fetchall(self):
        return self._cr.fetchall()

    def close(self):
        """The test's cursor stays open."""


@tagged("post_install", "-at_install")
class TestImportDeadJobs(ImportCase):
    """A background import whose worker is killed in the middle of a chunk:
    the stored state a SIGKILL leaves (the job "started", its lock released
    with the dead worker's connection), then queue_job's runner."""

    def _import(self, prefix, count=4):
        rows = [
            customer_row(
                vat=ruc_number(71000000 + i), email=f"{prefix}{i}@dead.example.pe", name=f"Muerto {prefix} {i}"
            )
            for i in range(count)
        ]
        wizard = self._wizard(make_xlsx(rows, [])).with_context(
            customer_import_background_threshold=2, customer_import_chunk_size=2
        )
        wizard.action_import()
        job = wizard.job_id
        self.assertEqual(len(job.chunk_ids), 2)
        return rows, job

    def _queue_job(self, chunk):
        return self.env["queue.job"].search([("uuid", "=", chunk.queue_job_uuid)])

    def _killed_while_running(self, queued, retry=0):
        """What a worker killed in the middle of the job leaves behind."""
        self.env.cr.execute(
            "UPDATE queue_job SET state = 'started', retry = %s, date_enqueued = (now() AT TIME ZONE 'utc') - "
            "interval '1 minute', date_started = (now() AT TIME ZONE 'utc') - interval '50 seconds' WHERE id = %s",
            [retry, queued.id],
        )
        self.env.cr.execute(
            "INSERT INTO queue_job_lock (id, queue_job_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [queued.id, queued.id],
        )
        queued.invalidate_recordset()

    def _runner_requeues_dead_jobs(self):
        runner_db = Database.__new__(Database)  # no connection of its own, no master lock
        runner_db.conn = _RunnerConnection(self.env.cr)
        runner_db.requeue_dead_jobs()
        self.env["queue.job"].invalidate_model()

    def _closing_jobs(self, job):
        return (
            self.env["queue.job"]
            .search(
                [
                    ("model_name", "=", "customer.import.job"),
                    ("method_name", "=", "_finish"),
                    ("state", "not in", ("done", "cancelled")),
                ]
            )
            .filtered(lambda q: q.records == job)
        )

    def _perform(self, queued):
        Job.load(self.env, queued.uuid).perform()

    def test_killed_chunk_is_requeued_and_written_once(self):
        rows, job = self._import("k")
        first, second = job.chunk_ids
        self.assertTrue(first.queue_job_uuid and second.queue_job_uuid, "each chunk knows its queue job")
        queued = self._queue_job(first)
        self._killed_while_running(queued)
        self._runner_requeues_dead_jobs()
        self.assertEqual((queued.state, queued.retry), ("pending", 1), "requeued by the runner")
        self.assertEqual(first.state, "pending", "the killed transaction wrote nothing")

        self._perform(queued)
        self._perform(queued)  # delivered twice: the chunk is already written
        self._perform(self._queue_job(second))
        self._perform(self._closing_jobs(job))
        job.invalidate_recordset()
        self.assertEqual((job.state, job.created_count, job.failed_rows), ("done", 4, 0))
        for row in rows:
            self.assertEqual(self.env["res.partner"].search_count([("vat", "=", row[1])]), 1, "no row written twice")
        self.assertFalse(self.env["customer.import.job"]._cron_close_dead_chunks(), "nothing left to close")

    def test_chunk_dead_after_its_last_retry_closes_the_import(self):
        rows, job = self._import("d")
        first, second = job.chunk_ids
        self._perform(self._queue_job(second))
        queued = self._queue_job(first)
        self._killed_while_running(queued, retry=queued.max_retries + 1)
        self._runner_requeues_dead_jobs()
        self.assertEqual((queued.state, queued.exc_name), ("failed", "JobFoundDead"))

        closed = self.env["customer.import.job"]._cron_close_dead_chunks()
        self.assertEqual(closed, job)
        job.invalidate_recordset()
        self.assertEqual((job.state, job.created_count, job.failed_rows), ("failed", 2, 2))
        self.assertIn("Rows 2 to 3 were not imported", first.error)
        self.assertIn("stopped", first.error)
        self.assertIn("rows 2 to 3", job.not_written_summary)
        self.assertIn("rows 4 to 5", job.written_summary)
        not_written = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job.failed_file)))
        names = [r[2] for r in not_written["Clientes"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(names, ["Muerto d 0", "Muerto d 1"])
        self.assertTrue(job.message_ids.filtered(lambda m: "2 rows failed" in (m.body or "")), "the user is told")
        self.assertFalse(self._closing_jobs(job), "its closing job no longer waits: cancelled")

        # Retry: the chunk runs again in a new queue job; nothing twice.
        job.with_user(self.user_importer).action_retry_failed()
        self.assertEqual(job.state, "running")
        self._perform(self._queue_job(first))
        self._perform(self._closing_jobs(job))
        job.invalidate_recordset()
        self.assertEqual((job.state, job.created_count, job.failed_rows), ("done", 4, 0))
        for row in rows:
            self.assertEqual(self.env["res.partner"].search_count([("vat", "=", row[1])]), 1)
