import base64
import json

import psycopg2.errors

from odoo import api, fields, models

from odoo.addons.queue_job.delay import chain, group
from odoo.addons.queue_job.exception import RetryableJobError

from ..tools import customer_spreadsheet as sheet

# Concurrency errors worth a later retry rather than a failed chunk.
RETRYABLE_ERRORS = (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable)
# A chunk does not wait longer than this for a row another transaction
# holds: it gives the worker back and is retried later by queue_job.
DEFAULT_LOCK_TIMEOUT = "30s"
# A job whose database connection was lost is run again this many seconds
# later (PostgreSQL restarting takes seconds).
CONNECTION_LOST_RETRY_SECONDS = 10


def connection_lost(err):
    """Whether a database error means the connection itself is gone
    (PostgreSQL restarted or shut down, network cut): the transaction died
    with everything it wrote, and nothing more can be written on it. Class 08
    is a connection exception, 57P01-57P03 a server shutting down or starting;
    psycopg2 gives no code when the server closed the connection unannounced."""
    if isinstance(err, psycopg2.InterfaceError):
        return True
    return isinstance(err, psycopg2.OperationalError) and (
        not err.pgcode or err.pgcode.startswith("08") or err.pgcode in ("57P01", "57P02", "57P03")
    )


class CustomerImportJob(models.Model):
    """A large customer import running in the background (OCA queue_job).

    The file is read and checked once, when the user confirms, batch by
    batch; the checked rows are stored in chunks and each chunk is written
    by one queue job in its own transaction (committed on its own):
    customers first, then their contacts, then a last job that closes the
    import and notifies the user.

    The guarantee is per chunk, told as it is: a chunk is written whole or
    not at all; the import ends "Done" when every chunk is written, else
    "Finished with Errors" listing the rows written and the rows not
    written (with a file of the latter), and the failed chunks can be run
    again in any state. A chunk whose concurrency errors exhaust queue_job's
    retries records its failure instead of failing its queue job, so the
    closing job always runs.
    """

    _name = "customer.import.job"
    _description = "Background Customer Import"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="File Name", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Imported By", default=lambda self: self.env.user, readonly=True, index=True
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Finished with Errors")],
        string="Status",
        default="running",
        required=True,
        readonly=True,
        tracking=True,
    )
    chunk_ids = fields.One2many("customer.import.job.chunk", "job_id", string="Chunks", readonly=True)
    total_rows = fields.Integer(string="Rows to Write", readonly=True, help="Checked rows (customers and contacts).")
    skipped_rows = fields.Integer(
        string="Rejected Rows", readonly=True, help="Rows with errors left out when the import was confirmed."
    )
    rejected_file = fields.Binary(string="Rejected Rows File", readonly=True, attachment=True)
    rejected_filename = fields.Char(readonly=True)
    chunk_count = fields.Integer(compute="_compute_progress", string="Chunks Count")
    done_chunk_count = fields.Integer(compute="_compute_progress", string="Chunks Done")
    failed_chunk_count = fields.Integer(compute="_compute_progress", string="Chunks Failed")
    progress = fields.Float(compute="_compute_progress", help="Percentage of chunks processed.")
    created_count = fields.Integer(compute="_compute_progress", string="Created")
    updated_count = fields.Integer(compute="_compute_progress", string="Updated")
    contact_count = fields.Integer(compute="_compute_progress", string="Contacts Imported")
    failed_rows = fields.Integer(compute="_compute_progress", string="Rows Not Written")
    written_summary = fields.Text(
        string="Rows Written", compute="_compute_summary", help="Rows of the file each written chunk holds."
    )
    not_written_summary = fields.Text(
        string="Not Written",
        compute="_compute_summary",
        help="Rows of the file in chunks that failed, with the reason.",
    )
    failed_file = fields.Binary(string="Rows Not Written File", readonly=True, attachment=True)
    failed_filename = fields.Char(readonly=True)

    @api.depends("chunk_ids.state", "chunk_ids.created_count", "chunk_ids.updated_count", "chunk_ids.failed_count")
    def _compute_progress(self):
        # One grouped read for all the jobs shown, not their chunks one by one.
        stats = {
            (job_record.id, kind, state): (count, created, updated, failed)
            for job_record, kind, state, count, created, updated, failed in self.env["customer.import.job.chunk"]
            .sudo()
            ._read_group(
                [("job_id", "in", self.ids)],
                ["job_id", "kind", "state"],
                ["__count", "created_count:sum", "updated_count:sum", "failed_count:sum"],
            )
        }
        for job in self:
            mine = {key[1:]: value for key, value in stats.items() if key[0] == job.id}
            total = sum(v[0] for v in mine.values())
            done = sum(v[0] for (_kind, state), v in mine.items() if state == "done")
            failed = sum(v[0] for (_kind, state), v in mine.items() if state == "failed")
            job.chunk_count = total
            job.done_chunk_count = done
            job.failed_chunk_count = failed
            job.progress = 100.0 * (done + failed) / total if total else 0.0
            job.created_count = sum(v[1] for (kind, _s), v in mine.items() if kind == "customers")
            job.updated_count = sum(v[2] for (kind, _s), v in mine.items() if kind == "customers")
            job.contact_count = sum(v[1] + v[2] for (kind, _s), v in mine.items() if kind == "contacts")
            job.failed_rows = sum(v[3] for v in mine.values())

    @api.depends("chunk_ids.state")
    def _compute_summary(self):
        labels = dict(self.env["customer.import.job.chunk"]._fields["kind"]._description_selection(self.env))
        for job in self:
            chunks = job.sudo().chunk_ids
            written, not_written = [], []
            for chunk in chunks:
                rows = self.env._(
                    "%(kind)s, rows %(first)s to %(last)s",
                    kind=labels[chunk.kind],
                    first=chunk.first_row,
                    last=chunk.last_row,
                )
                if chunk.state == "done":
                    written.append(rows)
                elif chunk.state == "failed":
                    not_written.append(f"{rows}: {chunk.error or ''}")
            job.written_summary = "\n".join(written) or False
            job.not_written_summary = "\n".join(not_written) or False

    # ------------------------------------------------------------------
    # Building (from the import engine, in the user's request)
    # ------------------------------------------------------------------
    @api.model
    def _create_for_import(self, filename):
        # Jobs and chunks are written by the system only: the user reads
        # them (progress) but cannot alter the checked rows they carry.
        return (
            self.sudo().create({"name": filename or self.env._("Customer import"), "user_id": self.env.uid}).sudo(False)
        )

    @api.model
    def _chunk_size(self):
        return int(self.env.context.get("customer_import_chunk_size") or sheet.BATCH_SIZE)

    def _add_chunks(self, kind, items):
        """Store checked rows (JSON-friendly dicts) in chunks of BATCH_SIZE;
        flushed and dropped from the cache at once so that memory stays
        bounded whatever the size of the file."""
        self.ensure_one()
        Chunk = self.env["customer.import.job.chunk"].sudo()
        size = self._chunk_size()
        for start in range(0, len(items), size):
            part = items[start : start + size]
            chunk = Chunk.create(
                {
                    "job_id": self.id,
                    "kind": kind,
                    "row_count": len(part),
                    "first_row": part[0]["row"],
                    "last_row": part[-1]["row"],
                    "payload": json.dumps(part),
                }
            )
            chunk.flush_recordset()
            chunk.invalidate_recordset(["payload"])

    def _start(self, skipped, rejected):
        self.ensure_one()
        job = self.sudo()
        [(total,)] = job.env["customer.import.job.chunk"]._read_group([("job_id", "=", job.id)], [], ["row_count:sum"])
        vals = {"skipped_rows": skipped, "total_rows": total}
        if rejected:
            vals.update(rejected_file=base64.b64encode(rejected), rejected_filename="clientes_rechazados.xlsx")
        job.write(vals)
        self._enqueue(job.chunk_ids)

    def _enqueue(self, chunks):
        """Customers chunks run in parallel; contacts chunks after all of
        them (their customers must exist); `_finish` after everything."""
        self.ensure_one()
        # As the importing user: the partner rules and permissions apply.
        chunks = chunks.with_user(self.user_id).sudo(False)
        steps, delayed = [], []
        for kind in ("customers", "contacts"):
            part = chunks.filtered(lambda c, k=kind: c.kind == k)
            if part:
                jobs = [chunk.delayable(description=chunk._description_for_queue())._run() for chunk in part]
                delayed += zip(part, jobs, strict=True)
                steps.append(group(*jobs))
        steps.append(self.with_user(self.user_id).delayable(description=f"{self.name}: end")._finish())
        chain(*steps).delay()
        # Which queue job writes each chunk: when that job dies for good,
        # the chunk is closed as failed (see _cron_close_dead_chunks).
        for chunk, delayable in delayed:
            generated = delayable._generated_job
            if generated and generated is not True:
                chunk.sudo().queue_job_uuid = generated.uuid

    # ------------------------------------------------------------------
    # Finishing (queue job)
    # ------------------------------------------------------------------
    def _finish(self):
        """Last queue job of an import: final state, the file of rows not
        written, notification. Several closing jobs may run (a retry adds
        one): only the one that finds no chunk pending closes. Its database
        connection lost, it is retried like a chunk: failed for good, it
        would leave the import "Running" with every chunk written."""
        try:
            return self._finish_import()
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as err:
            if not connection_lost(err):
                raise
            raise RetryableJobError(
                "The database connection was lost; the import is closed again.",
                seconds=CONNECTION_LOST_RETRY_SECONDS,
            ) from err

    def _finish_import(self):
        self.ensure_one()
        job = self.sudo()
        job.invalidate_recordset()
        if job.chunk_ids.filtered(lambda c: c.state == "pending"):
            return "pending"
        failed = job.failed_chunk_count
        vals = {"state": "failed" if failed else "done", "failed_file": False, "failed_filename": False}
        if failed:
            content = job._not_written_file()
            vals.update(failed_file=base64.b64encode(content), failed_filename="clientes_no_escritos.xlsx")
        job.write(vals)
        job.flush_recordset()  # the final state is written here, inside the retry on a lost connection
        body = self.env._(
            "Customer import %(name)s finished: %(created)s created, %(updated)s updated, "
            "%(contacts)s contacts, %(skipped)s rows rejected when confirming, %(failed)s rows failed.",
            name=job.name,
            created=job.created_count,
            updated=job.updated_count,
            contacts=job.contact_count,
            skipped=job.skipped_rows,
            failed=job.failed_rows,
        )
        job.message_post(body=body, partner_ids=job.user_id.partner_id.ids, subtype_xmlid="mail.mt_comment")
        job.user_id._bus_send(
            "simple_notification",
            {
                "type": "warning" if failed else "success",
                "title": self.env._("Customer import"),
                "message": body,
                "sticky": True,
            },
        )
        return body

    @api.model
    def _cron_close_dead_chunks(self):
        """Close the chunks whose queue job will never run again, and the
        imports they kept running.

        queue_job's runner requeues a job whose worker died (killed, out of
        memory, over limit_time_real, server or database restarted) and
        marks it failed ("JobFoundDead") once it has died more times than
        its max_retries; a job can also fail for good on an error our chunk
        does not catch, or be cancelled by hand. Its chunk would then stay
        pending and the closing job (which depends on it) wait forever:
        the chunk is recorded as failed, with its rows in the file of rows
        not written, the import closes "Finished with Errors", and Retry
        runs the chunk again (a chunk's rows and its "done" are committed
        together, so no row is written twice)."""
        Chunk = self.env["customer.import.job.chunk"].sudo()
        QueueJob = self.env["queue.job"].sudo()
        pending = Chunk.search(
            [("state", "=", "pending"), ("job_id.state", "=", "running"), ("queue_job_uuid", "!=", False)]
        )
        if not pending:
            return self.browse()
        queued = {job.uuid: job for job in QueueJob.search([("uuid", "in", pending.mapped("queue_job_uuid"))])}
        dead = Chunk
        for chunk in pending:
            job = queued.get(chunk.queue_job_uuid)
            if job and job.state not in ("failed", "cancelled"):
                continue
            if not job:
                reason = self.env._("its background job was deleted before it ran.")
            elif job.exc_name == "JobFoundDead":
                reason = self.env._(
                    "its background job stopped %(count)s times without finishing (worker killed, time or memory "
                    "limit, server or database restarted).",
                    count=job.retry,
                )
            elif job.state == "cancelled":
                reason = self.env._("its background job was cancelled.")
            elif "psycopg2." in f"{job.exc_name} {job.exc_info}":
                # Only a lost connection gets past the chunk's own handling:
                # the database's English text is for the administrator (job
                # queue), not for the import's messages.
                reason = self.env._(
                    "its background job could not reach the database in any of its attempts "
                    "(PostgreSQL restarted or unreachable)."
                )
            else:
                reason = self.env._(
                    "its background job failed: %(error)s", error=job.exc_message or job.exc_name or "?"
                )
            chunk._mark_failed(reason)
            dead |= chunk
        imports = dead.job_id
        if imports:
            # The closing jobs waiting on the dead ones never start: cancelled.
            graphs = [job.graph_uuid for job in queued.values() if job.graph_uuid]
            QueueJob.search(
                [
                    ("graph_uuid", "in", graphs),
                    ("model_name", "=", self._name),
                    ("method_name", "=", "_finish"),
                    ("state", "=", "wait_dependencies"),
                ]
            ).button_cancelled()
            for job in imports:
                job.with_user(job.user_id)._finish()
        return imports

    def _not_written_file(self):
        """The rows of the failed chunks as they came, with the chunk's
        error, ready to fix and upload again."""
        writer = sheet.RejectedWriter(sheet.ERRORS_HEADER)
        for chunk in self.sudo().chunk_ids.filtered(lambda c: c.state == "failed"):
            add = writer.add_customer if chunk.kind == "customers" else writer.add_contact
            for item in json.loads(chunk.payload or "[]"):
                add(item.get("cells") or [], chunk.error or "")
            chunk.invalidate_recordset(["payload"])
        return writer.finish()

    def action_retry_failed(self):
        """Run the failed chunks again (e.g. after fixing the duplicate that
        made them fail), whatever the import's state."""
        self.check_access("read")
        for job in self:
            failed = job.sudo().chunk_ids.filtered(lambda c: c.state == "failed")
            if not failed:
                continue
            failed.write({"state": "pending", "error": False, "failed_count": 0})
            job.sudo().state = "running"
            job._enqueue(failed)
        return True

    def action_download_failed(self):
        self.ensure_one()
        return sheet.download_action(self._name, self.id, "failed_file", self.failed_filename)

    def action_download_rejected(self):
        self.ensure_one()
        return sheet.download_action(self._name, self.id, "rejected_file", self.rejected_filename)


class CustomerImportJobChunk(models.Model):
    _name = "customer.import.job.chunk"
    _description = "Background Customer Import Chunk"
    _order = "id"

    job_id = fields.Many2one("customer.import.job", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(related="job_id.user_id")
    kind = fields.Selection([("customers", "Customers"), ("contacts", "Contacts")], string="Type", required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
        string="Status",
        default="pending",
        required=True,
    )
    row_count = fields.Integer(string="Rows")
    first_row = fields.Integer(help="First row of the file in this chunk.")
    last_row = fields.Integer(help="Last row of the file in this chunk.")
    created_count = fields.Integer(string="Created")
    updated_count = fields.Integer(string="Updated")
    failed_count = fields.Integer(string="Failed Rows")
    queue_job_uuid = fields.Char(
        string="Queue Job", readonly=True, index="btree_not_null", help="The queue job that writes this chunk."
    )
    # Not prefetched: reading the chunks' progress must not load every row.
    payload = fields.Text(help="The checked rows of this chunk, as JSON.", prefetch=False)
    error = fields.Text()

    def _description_for_queue(self):
        return f"{self.job_id.sudo().name}: {self.kind} {self.first_row}-{self.last_row}"

    def _mark_failed(self, reason):
        """Record that none of the chunk's rows were written, and why: the one
        wording shared by a failed run and a job that died."""
        self.ensure_one()
        self.write(
            {
                "state": "failed",
                "failed_count": self.row_count,
                "error": self.env._(
                    "Rows %(first)s to %(last)s were not imported: %(reason)s",
                    first=self.first_row,
                    last=self.last_row,
                    reason=reason,
                ),
            }
        )

    def _last_attempt(self):
        """Whether the queue job running this chunk has no retry left (the
        runner stores the attempts made before this one)."""
        uuid = self.env.context.get("job_uuid")
        queued = self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1) if uuid else None
        return not queued or (queued.max_retries and queued.retry + 1 >= queued.max_retries)

    def _lock_timeout(self):
        return (
            self.env["ir.config_parameter"].sudo().get_param("clientes_aduanas.import_lock_timeout")
            or DEFAULT_LOCK_TIMEOUT
        )

    def _run(self):
        """One queue job: writes the chunk's rows in one savepoint. A
        failure is stored on the chunk, in the user's words; concurrency
        errors are left to queue_job to retry later, except on the last
        attempt, recorded like any failure so that the closing job runs. A
        lost database connection cannot be recorded at all: the job is
        retried (its transaction, rows and "done" together, is gone)."""
        self.ensure_one()
        chunk = self.sudo()
        if chunk.state != "pending":
            return chunk.state  # already run: a retried or duplicated job
        data = json.loads(chunk.payload or "[]")
        engine = self.env["customer.import.engine"]
        cr = self.env.cr
        cr.execute("SHOW lock_timeout")
        [previous] = cr.fetchone()
        lost = False
        try:
            cr.execute("SELECT set_config('lock_timeout', %s, true)", [self._lock_timeout()])
            with cr.savepoint():
                if chunk.kind == "customers":
                    result = engine._write_rows_unguarded(data, [])
                else:
                    result = engine._write_rows_unguarded([], data)
        except Exception as err:  # any failure is recorded on the chunk, none is lost
            if connection_lost(err) or connection_lost(err.__context__):
                lost = True
                raise RetryableJobError(
                    "The database connection was lost; the chunk is run again.",
                    seconds=CONNECTION_LOST_RETRY_SECONDS,
                ) from err
            if isinstance(err, RETRYABLE_ERRORS) and not self._last_attempt():
                raise RetryableJobError(str(err)) from err
            reason = engine._failure_reason(err)
            if isinstance(err, RETRYABLE_ERRORS):
                reason = self.env._(
                    "other transactions kept these rows locked through every retry (%(detail)s).",
                    detail=reason,
                )
            chunk._mark_failed(reason)
            return "failed"
        finally:
            # A lost connection takes no more queries (the setting died with
            # its transaction).
            if not lost:
                cr.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        vals = {
            "state": "done",
            "created_count": result["created"] + result["contacts_created"],
            "updated_count": result["updated"] + result["contacts_updated"],
        }
        if result["lost_contacts"]:
            vals.update(
                state="failed",
                failed_count=len(result["lost_contacts"]),
                error=self.env._(
                    "Contacts of rows %(rows)s were not imported: their customer could not be found "
                    "(did its chunk fail?).",
                    rows=", ".join(map(str, result["lost_contacts"])),
                ),
            )
        chunk.write(vals)
        return vals["state"]
