import json

from odoo import api, fields, models

from odoo.addons.queue_job.delay import group

CHUNK_SIZE = 2000


class CustomerImportJob(models.Model):
    """A large customer import running in the background (OCA queue_job).

    The file is analysed once, when the user confirms; the valid rows are
    then written in chunks, one job (and one transaction) per chunk. A chunk
    that fails is recorded with its error, never silently dropped.
    """

    _name = "customer.import.job"
    _description = "Background Customer Import"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True, index=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Finished with Errors")],
        default="running",
        readonly=True,
        tracking=True,
    )
    chunk_ids = fields.One2many("customer.import.job.chunk", "job_id", readonly=True)
    chunk_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", help="Percentage of chunks processed.")
    total_rows = fields.Integer(readonly=True)
    created_count = fields.Integer(compute="_compute_progress", string="Created")
    updated_count = fields.Integer(compute="_compute_progress", string="Updated")
    failed_rows = fields.Integer(compute="_compute_progress")

    @api.depends("chunk_ids.state", "chunk_ids.created_count", "chunk_ids.updated_count")
    def _compute_progress(self):
        for job in self:
            chunks = job.chunk_ids
            finished = chunks.filtered(lambda c: c.state in ("done", "failed"))
            job.chunk_count = len(chunks)
            job.progress = 100.0 * len(finished) / len(chunks) if chunks else 0.0
            job.created_count = sum(chunks.mapped("created_count"))
            job.updated_count = sum(chunks.mapped("updated_count"))
            job.failed_rows = sum(chunks.filtered(lambda c: c.state == "failed").mapped("row_count"))

    @api.model
    def _enqueue(self, wizard, analysis):
        rows = [r for r in analysis["rows"] if not r["errors"]]
        job = self.create({"name": wizard.filename or self.env._("Customer import"), "total_rows": len(rows)})
        chunks_vals = []
        for start in range(0, len(rows), CHUNK_SIZE):
            part = rows[start : start + CHUNK_SIZE]
            chunks_vals.append(
                {
                    "job_id": job.id,
                    "kind": "customers",
                    "row_count": len(part),
                    "payload": json.dumps(
                        [
                            {
                                "row": r["row"],
                                "vals": r["vals"],
                                "partner_id": r["partner"].id if r["partner"] else False,
                            }
                            for r in part
                        ]
                    ),
                }
            )
        contacts = [
            {
                "row": c["row"],
                "vals": c["vals"],
                "customer_vat": c["customer_row"]["vals"].get("vat") if c["customer_row"] else c["partner"].vat,
                "customer_type_id": (
                    c["customer_row"]["vals"].get("l10n_latam_identification_type_id")
                    if c["customer_row"]
                    else c["partner"].l10n_latam_identification_type_id.id
                ),
            }
            for c in analysis["contacts"]
            if not c["errors"]
        ]
        chunks = self.env["customer.import.job.chunk"].create(chunks_vals)
        delayables = [chunk.delayable(description=f"{job.name} #{chunk.id}")._run() for chunk in chunks]
        contact_chunk = self.env["customer.import.job.chunk"].create(
            {"job_id": job.id, "kind": "contacts", "row_count": len(contacts), "payload": json.dumps(contacts)}
        )
        group(*delayables).on_done(contact_chunk.delayable(description=f"{job.name} contacts")._run()).delay()
        return job

    def _check_finished(self):
        for job in self:
            if job.chunk_ids.filtered(lambda c: c.state == "pending"):
                continue
            failed = job.chunk_ids.filtered(lambda c: c.state == "failed")
            job.state = "failed" if failed else "done"
            body = self.env._(
                "Customer import finished: %(created)s created, %(updated)s updated, %(failed)s rows failed.",
                created=job.created_count,
                updated=job.updated_count,
                failed=job.failed_rows,
            )
            job.message_post(body=body, partner_ids=job.user_id.partner_id.ids, subtype_xmlid="mail.mt_comment")


class CustomerImportJobChunk(models.Model):
    _name = "customer.import.job.chunk"
    _description = "Background Customer Import Chunk"
    _order = "id"

    job_id = fields.Many2one("customer.import.job", required=True, ondelete="cascade", index=True)
    kind = fields.Selection([("customers", "Customers"), ("contacts", "Contacts")], required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed")], default="pending", required=True
    )
    row_count = fields.Integer()
    created_count = fields.Integer()
    updated_count = fields.Integer()
    payload = fields.Text(help="The checked rows of this chunk, as JSON.")
    error = fields.Text(readonly=True)

    def _run(self):
        """One queue job: writes the chunk's rows in one transaction. A
        failure is stored on the chunk (and the job notified), then the
        exception-free return lets queue_job mark the job done."""
        self.ensure_one()
        wizard = self.env["customer.import.wizard"].with_user(self.job_id.user_id)
        data = json.loads(self.payload or "[]")
        try:
            with self.env.cr.savepoint():
                if self.kind == "customers":
                    rows = []
                    partners = self.env["res.partner"].browse([d["partner_id"] for d in data if d["partner_id"]])
                    by_id = {p.id: p for p in partners}
                    for item in data:
                        partner = by_id.get(item["partner_id"])
                        rows.append(
                            {
                                "row": item["row"],
                                "vals": item["vals"],
                                "partner": partner,
                                "action": "update" if partner else "create",
                                "errors": [],
                            }
                        )
                    result = wizard._write_rows(rows, [])
                    self.write({"created_count": result["created"], "updated_count": result["updated"]})
                else:
                    contacts = self._contacts_from_payload(data)
                    wizard._write_rows([], contacts)
                self.state = "done"
        except Exception as err:  # any failure is reported on the chunk, none is lost
            self.write({"state": "failed", "error": str(err.args[0] if err.args else err)})
        self.job_id._check_finished()
        return True

    def _contacts_from_payload(self, data):
        Partner = self.env["res.partner"].with_context(active_test=False)
        parents = Partner.search(
            [("is_registered_customer", "=", True), ("vat", "in", [d["customer_vat"] for d in data])]
        )
        by_key = {(p.l10n_latam_identification_type_id.id, p.vat): p for p in parents}
        return [
            {
                "row": d["row"],
                "vals": d["vals"],
                "customer_row": None,
                "partner": by_key[(d["customer_type_id"], d["customer_vat"])],
                "errors": [],
            }
            for d in data
            if (d["customer_type_id"], d["customer_vat"]) in by_key
        ]
