import base64
import io
import json

import openpyxl

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .test_customer_import import (
    CONTACT_HEADERS,
    ImportCase,
    contact_row,
    customer_row,
    make_csv,
    make_xlsx,
    ruc_number,
)


@tagged("post_install", "-at_install")
class TestCustomerImportBackgroundTruth(ImportCase):
    def _queued(self, exclude=()):
        return self.env["queue.job"].search(
            [("model_name", "in", ("customer.import.job", "customer.import.job.chunk")), ("id", "not in", exclude)],
            order="id",
        )

    def _run_like_the_runner(self, queued):
        """Each job once its dependencies are done; a RetryableJobError
        stores the attempt and puts the job back, as the runner does, until
        queue_job's max_retries."""
        done, pending, attempts = set(), list(queued), {}
        while pending:
            ready = [q for q in pending if set(q.dependencies.get("depends_on", [])) <= done]
            self.assertTrue(ready, "a job waits forever on a dependency")
            for queued_job in ready:
                job = Job.load(self.env, queued_job.uuid)
                attempts[queued_job.uuid] = attempts.get(queued_job.uuid, 0) + 1
                try:
                    job.perform()
                except RetryableJobError:
                    job.store()
                    continue
                done.add(queued_job.uuid)
                pending.remove(queued_job)
        return attempts

    def test_one_chunk_fails_one_exhausts_its_retries(self):
        normal = self.env.ref("clientes_aduanas.customer_category_normal")
        rows = [
            customer_row(
                vat=ruc_number(60000 + i),
                email=f"truth{i}@import.example.pe",
                name=f"Verdad {i}",
                category="NORMAL" if i >= 4 else "PRO",
            )
            for i in range(6)
        ]
        contacts = [
            contact_row(customer_vat=rows[0][1], name="Contacto A", email=None),
            contact_row(customer_vat=rows[5][1], name="Contacto C", email=None),
        ]
        wizard = self._wizard(make_xlsx(rows, contacts)).with_context(
            customer_import_background_threshold=3, customer_import_chunk_size=2
        )
        wizard.action_import()
        job = wizard.job_id
        self.assertEqual(len(job.chunk_ids), 4, "three chunks of customers, one of contacts")
        queued = self._queued()
        queued.write({"max_retries": 2})
        self.env["ir.config_parameter"].set_param("clientes_aduanas.import_lock_timeout", "200ms")
        # Between the check and its turn, another user registers the e-mail
        # of row 4 (chunk 4-5 fails); another transaction holds the category
        # the rows 6-7 refer to through every retry (chunk 6-7 exhausts).
        self._create_customer(vat=ruc_number(123), email="truth2@import.example.pe", name="Llegó antes")
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM res_partner_customer_category WHERE id = %s FOR UPDATE NOWAIT", [normal.id])
            attempts = self._run_like_the_runner(queued)
            other.rollback()
        self.assertEqual(max(attempts.values()), 2, "the locked chunk was retried up to max_retries")
        job.invalidate_recordset()
        self.assertEqual(job.state, "failed", "the closing step ran: Finished with Errors")
        first, second, third, contacts_chunk = job.chunk_ids
        self.assertEqual([c.state for c in job.chunk_ids], ["done", "failed", "failed", "failed"])
        self.assertIn("Llegó antes", second.error)
        self.assertIn("locked", third.error)
        self.assertIn("Rows 6 to 7", third.error)
        self.assertEqual((job.created_count, job.contact_count, job.failed_rows), (2, 1, 5))
        self.assertIn("rows 2 to 3", job.written_summary)
        self.assertIn("rows 4 to 5", job.not_written_summary)
        self.assertIn("rows 6 to 7", job.not_written_summary)
        written = self.env["res.partner"].search([("name", "=like", "Verdad %")])
        self.assertEqual(sorted(written.mapped("name")), ["Verdad 0", "Verdad 1"])
        not_written = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job.failed_file)))
        names = [r[2] for r in not_written["Clientes"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(names, ["Verdad 2", "Verdad 3", "Verdad 4", "Verdad 5"])
        self.assertEqual(
            [r[1] for r in not_written["Contactos"].iter_rows(min_row=2, values_only=True)],
            [
                "Contacto A",
                "Contacto C",
            ],
        )
        self.assertTrue(job.message_ids.filtered(lambda m: "5 rows failed" in (m.body or "")))
        # Solved: the lock is gone, the intruder changes its e-mail; retry.
        self.env["res.partner"].search([("name", "=", "Llegó antes")]).email = "antes@import.example.pe"
        before = queued.ids
        job.with_user(self.user_importer).action_retry_failed()
        self.assertEqual(job.state, "running")
        self._run_like_the_runner(self._queued(exclude=before))
        job.invalidate_recordset()
        self.assertEqual((job.state, job.created_count, job.failed_rows), ("done", 6, 0))
        self.assertFalse(job.failed_file)
        parent = self.env["res.partner"].search([("vat", "=", rows[5][1])])
        self.assertEqual(parent.child_ids.name, "Contacto C")
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "Contacto A")]), 1, "the retry did not duplicate"
        )

    def test_retry_is_offered_while_running(self):
        """A chunk failed while others still wait: retrying it right away
        does not close the import early (only the last closing job does)."""
        rows = [customer_row(vat=ruc_number(61000 + i), email=f"run{i}@import.example.pe") for i in range(4)]
        wizard = self._wizard(make_xlsx(rows)).with_context(
            customer_import_background_threshold=1, customer_import_chunk_size=2
        )
        wizard.action_import()
        job = wizard.job_id
        first, second = job.chunk_ids
        self._create_customer(vat=ruc_number(124), email="run0@import.example.pe", name="Antes")
        first.with_user(self.user_importer)._run()
        self.assertEqual((first.state, job.state), ("failed", "running"))
        self.assertEqual(job._finish(), "pending", "a chunk still waits: the import stays open")
        self.env["res.partner"].search([("name", "=", "Antes")]).email = "antes2@import.example.pe"
        job.with_user(self.user_importer).action_retry_failed()
        self.assertEqual(first.state, "pending")
        for chunk in job.chunk_ids:
            chunk.with_user(self.user_importer)._run()
        job._finish()
        self.assertEqual((job.state, job.created_count), ("done", 4))

    def test_threshold_counts_contacts(self):
        """50 customers and 100,000 contacts: over the threshold, so the
        import goes to the background (nothing written in the request)."""
        customers = [customer_row(vat=ruc_number(62000 + i), email=f"many{i}@import.example.pe") for i in range(50)]
        vats = [row[1] for row in customers]
        lines = [";".join(CONTACT_HEADERS)]
        lines += [f"{vats[i % 50]};Contacto {i};;;;No" for i in range(100_000)]
        contacts = "\r\n".join(lines).encode()
        wizard = self._wizard(make_csv(customers, delimiter=";"), "clientes.csv")
        wizard.write({"contact_file": base64.b64encode(contacts), "contact_filename": "contactos.csv"})
        self.assertEqual(self.env["customer.import.engine"]._background_threshold(), 10_000)
        wizard.action_import()
        job = wizard.job_id
        self.assertTrue(job, "went to the background")
        self.assertEqual(job.total_rows, 100_050)
        self.assertEqual(set(job.chunk_ids.mapped("kind")), {"customers", "contacts"})
        self.assertFalse(self.env["res.partner"].search([("email", "=like", "many%@import.example.pe")]))


@tagged("post_install", "-at_install")
class TestCustomerImportContactUpdate(ImportCase):
    def test_empty_cells_keep_values_and_address_stays(self):
        customer = self._create_customer()
        contact = self.env["res.partner"].create(
            {
                "name": "Rosa Huamán",
                "parent_id": customer.id,
                "type": "other",
                "function": "Jefa",
                "phone": "+51 999 111 222",
                "email": "rosa@import.example.pe",
                "street": "Calle Propia 5",
                "city": "Callao",
            }
        )
        data = make_xlsx([], [contact_row(customer_vat=customer.vat, name="ROSA HUAMÁN", email=None, function=None)])
        wizard = self._wizard(data)
        wizard.action_import()
        self.assertEqual(wizard.result_contacts, 1)
        self.assertEqual(customer.child_ids, contact, "updated, not added")
        self.assertEqual(
            (contact.function, contact.phone, contact.email), ("Jefa", "+51 999 111 222", "rosa@import.example.pe")
        )
        self.assertEqual((contact.type, contact.street, contact.city), ("other", "Calle Propia 5", "Callao"))
        # A cell with a value is written; the address still stays.
        data = make_xlsx([], [contact_row(customer_vat=customer.vat, name="Rosa Huamán", function="Gerente")])
        self._wizard(data).action_import()
        self.assertEqual((contact.function, contact.email), ("Gerente", "c1@import.example.pe"))
        self.assertEqual(contact.street, "Calle Propia 5")

    def test_new_contact_takes_the_address_of_its_customer(self):
        customer = self._create_customer()
        self._wizard(make_xlsx([], [contact_row(customer_vat=customer.vat, name="Nuevo")])).action_import()
        self.assertEqual(customer.child_ids.street, customer.street)


@tagged("post_install", "-at_install")
class TestCustomerImportLockTimeout(ImportCase):
    def test_chunk_restores_the_lock_timeout(self):
        rows = [customer_row(vat=ruc_number(63000), email="lock@import.example.pe")]
        wizard = self._wizard(make_xlsx(rows)).with_context(customer_import_background_threshold=0)
        wizard.action_import()
        self.env.cr.execute("SHOW lock_timeout")
        before = self.env.cr.fetchone()[0]
        wizard.job_id.chunk_ids._run()
        self.env.cr.execute("SHOW lock_timeout")
        self.assertEqual(self.env.cr.fetchone()[0], before)
        self.assertEqual(wizard.job_id.chunk_ids.state, "done")
        env = api.Environment(self.env.cr, SUPERUSER_ID, {})
        self.assertTrue(env["res.partner"].search([("email", "=", "lock@import.example.pe")]))


@tagged("post_install", "-at_install")
class TestCustomerImportBackground(ImportCase):
    def _big_file(self, count=5, contacts=True, prefix="bg"):
        rows = [
            customer_row(vat=ruc_number(70000000 + i), email=f"{prefix}{i}@import.example.pe", name=f"Fondo {i}")
            for i in range(count)
        ]
        contact_rows = [contact_row(customer_vat=rows[0][1], name="Contacto Fondo")] if contacts else []
        return rows, make_xlsx(rows, contact_rows)

    def _queued(self, exclude=()):
        return self.env["queue.job"].search(
            [("model_name", "in", ("customer.import.job", "customer.import.job.chunk")), ("id", "not in", exclude)],
            order="id",
        )

    def _run_jobs(self, queued):
        """What the job runner does: each job once its dependencies are done."""
        done, pending = set(), list(queued)
        while pending:
            ready = [q for q in pending if set(q.dependencies.get("depends_on", [])) <= done]
            self.assertTrue(ready, "a cycle in the jobs' dependencies")
            for queued_job in ready:
                Job.load(self.env, queued_job.uuid).perform()
                done.add(queued_job.uuid)
                pending.remove(queued_job)

    def test_background_import_with_queue_job(self):
        rows, data = self._big_file()
        wizard = self._wizard(data).with_context(customer_import_background_threshold=3)
        wizard.action_import()
        job = wizard.job_id
        self.assertTrue(job)
        self.assertEqual((job.state, job.total_rows, job.progress), ("running", 6, 0.0))
        self.assertFalse(self.env["res.partner"].search([("email", "=like", "bg%@import.example.pe")]))
        queued = self._queued()
        by_kind = {q.records.kind if q.model_name == "customer.import.job.chunk" else "end": q for q in queued}
        self.assertEqual(len(queued), 3)
        self.assertFalse(by_kind["customers"].dependencies["depends_on"])
        self.assertEqual(by_kind["contacts"].dependencies["depends_on"], [by_kind["customers"].uuid])
        self.assertEqual(by_kind["end"].dependencies["depends_on"], [by_kind["contacts"].uuid])
        self.assertTrue(all(q.user_id == self.user_importer for q in queued), "jobs run as the importing user")
        self._run_jobs(queued)
        job.invalidate_recordset()
        self.assertEqual(job.state, "done")
        self.assertEqual((job.created_count, job.contact_count, job.progress), (5, 1, 100.0))
        self.assertTrue(job.message_ids.filtered(lambda m: "5 created" in (m.body or "")), "the user is notified")
        parent = self.env["res.partner"].search([("vat", "=", rows[0][1])])
        self.assertEqual(parent.child_ids.name, "Contacto Fondo")

    def test_background_runs_synchronously_without_delay(self):
        _rows, data = self._big_file(count=4, contacts=False, prefix="sync")
        wizard = self._wizard(data).with_context(customer_import_background_threshold=2, queue_job__no_delay=True)
        wizard.action_import()
        self.assertEqual((wizard.job_id.state, wizard.job_id.created_count), ("done", 4))

    def test_background_failed_chunk_is_reported_and_retried(self):
        """Between the check and its chunk's turn, another user registered
        the same e-mail: the chunk fails and says why, the contacts of its
        customers are reported (not dropped), the import ends with errors;
        once the conflict is solved, retrying imports the rest."""
        rows, data = self._big_file(count=4)
        wizard = self._wizard(data).with_context(customer_import_background_threshold=2)
        wizard.action_import()
        job = wizard.job_id
        intruder = self._create_customer(vat=ruc_number(123), email="bg2@import.example.pe", name="Llegó antes")
        self._run_jobs(self._queued())
        job.invalidate_recordset()
        self.assertEqual(job.state, "failed")
        customers_chunk, contacts_chunk = job.chunk_ids
        self.assertEqual(customers_chunk.state, "failed")
        self.assertIn("Llegó antes", customers_chunk.error)
        self.assertIn("Rows 2 to 5", customers_chunk.error)
        self.assertEqual(contacts_chunk.state, "failed")
        self.assertIn("rows 2", contacts_chunk.error)
        self.assertEqual(job.failed_rows, 5)
        self.assertEqual(self.env["res.partner"].search([("email", "=like", "bg%@import.example.pe")]), intruder)
        self.assertTrue(job.message_ids.filtered(lambda m: "5 rows failed" in (m.body or "")))
        # Solved: the intruder changes e-mail; retry.
        intruder.email = "antes@import.example.pe"
        before = self._queued().ids
        job.with_user(self.user_importer).action_retry_failed()
        self.assertEqual(job.state, "running")
        self._run_jobs(self._queued(exclude=before))
        job.invalidate_recordset()
        self.assertEqual((job.state, job.created_count, job.contact_count, job.failed_rows), ("done", 4, 1, 0))

    def test_background_job_security(self):
        _rows, data = self._big_file(count=3, contacts=False, prefix="sec")
        wizard = self._wizard(data).with_context(customer_import_background_threshold=2)
        wizard.action_import()
        job = wizard.job_id
        chunk = job.chunk_ids.with_user(self.user_importer)
        self.assertTrue(chunk.payload, "the owner can read the progress and rows")
        with self.assertRaises(AccessError):
            chunk.write({"payload": json.dumps([{"row": 2, "vals": {"name": "x"}, "partner_id": False}])})
        other = self.env["customer.import.job"].with_user(self.user_importer2).search([])
        self.assertFalse(other, "another user does not see this import")
        self.assertIn(job, self.env["customer.import.job"].with_user(self.user_manager).search([]))
