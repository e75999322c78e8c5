from odoo.tests import tagged

from .common import ImportCase
from .test_customer_import import contact_row, customer_row, make_xlsx, ruc_number


@tagged("post_install", "-at_install")
class TestImportJobChannel(ImportCase):
    """A background import queues its jobs in `root.import`, the channel the
    job runner's configuration caps (scripts/common.sh, deploy/odoo.conf), so
    a large import never takes the slots of other jobs."""

    def test_import_jobs_use_their_own_channel(self):
        rows = [
            customer_row(vat=ruc_number(81000000 + i), email=f"canal{i}@import.example.pe", name=f"Canal {i}")
            for i in range(4)
        ]
        data = make_xlsx(rows, [contact_row(customer_vat=rows[0][1], name="Contacto Canal")])
        before = self.env["queue.job"].search([]).ids
        wizard = self._wizard(data).with_context(customer_import_background_threshold=3, customer_import_chunk_size=2)
        wizard.action_import()
        queued = self.env["queue.job"].search([("id", "not in", before)])
        self.assertEqual(
            sorted(queued.mapped("model_name")),
            ["customer.import.job"] + ["customer.import.job.chunk"] * 3,
            "two customer chunks, one contact chunk, the closing job",
        )
        self.assertEqual(set(queued.mapped("channel")), {"root.import"})
        channel = self.env.ref("clientes_aduanas.queue_job_channel_import")
        self.assertEqual(channel.complete_name, "root.import")
        self.assertEqual(
            queued.mapped("job_function_id.channel_id"), channel, "the channel comes from the job functions"
        )

    def test_other_jobs_stay_out_of_the_import_channel(self):
        """Only the import's own methods are routed there: any other job of
        the same models keeps the root channel."""
        partner = self.env["res.partner"].create({"name": "Fuera del canal"})
        job = partner.with_delay().write({"comment": "x"})
        self.assertEqual(job.db_record().channel, "root")
