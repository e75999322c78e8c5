from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..models.whatsapp_message import MAX_ATTEMPTS
from .common import NUMBER_1, NUMBER_2, WhatsappCase, committed_env, inbound, run_stored_dispatch, trap_sends
from .fake_graph import GOOD_TOKEN, FakeGraph

DIGITS_1 = NUMBER_1.lstrip("+")
DIGITS_2 = NUMBER_2.lstrip("+")


@tagged("post_install", "-at_install")
class TestWhatsappAccount(WhatsappCase):
    def test_sync_reads_every_page(self):
        templates = self.account.template_ids
        self.assertEqual(len(templates), 6)
        pages = [path for method, path, _auth in FakeGraph.requests_seen if "message_templates" in path]
        self.assertFalse(pages, "the sync ran in setUpClass")
        self.account.action_sync_templates()
        pages = [path for method, path, _auth in FakeGraph.requests_seen if "message_templates" in path]
        self.assertEqual(len(pages), 2)
        self.assertIn("after=CURSOR2", pages[1])
        self.assertEqual(len(self.account.template_ids), 6, "a second sync creates no duplicate")
        by_name = {t.name: t for t in self.account.template_ids}
        self.assertEqual(by_name["estado_expediente"].param_count, 3)
        self.assertIn("{{2}}", by_name["estado_expediente"].body)
        self.assertEqual(by_name["pendiente"].language, "es_PE")
        usable = {name for name, t in by_name.items() if t.usable}
        self.assertEqual(
            usable,
            {"estado_expediente", "factura_emitida", "canal_asignado", "levante"},
            "approved and not red only",
        )

    def test_test_connection(self):
        action = self.account.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Agencia Lima", action["params"]["message"])
        self.account.token = "EAAG-expired"
        with self.assertRaisesRegex(UserError, "token is invalid or has expired"):
            self.account.action_test_connection()
        self.assertNotIn("EAAG-expired", FakeGraph.requests_seen[-1][1], "the token is never in the URL")
        self.account.write({"token": GOOD_TOKEN, "phone_number_id": "999"})
        with self.assertRaisesRegex(UserError, "does not know this id"):
            self.account.action_test_connection()
        self.account.write({"phone_number_id": "109876543210", "api_url": "http://127.0.0.1:9"})
        with self.assertRaisesRegex(UserError, "cannot be reached"):
            self.account.action_test_connection()

    def test_parameters_checked_when_saved(self):
        by_name = {t.name: t for t in self.account.template_ids}
        with self.assertRaises(ValidationError) as ctx:
            self.account.state_template_params = "customer_name, file_reference"
        self.assertIn("has 3 parameters and 2 values", str(ctx.exception))
        with self.assertRaises(ValidationError) as ctx:
            self.account.state_template_params = "customer_name, invoice_number, file_state"
        self.assertIn("invoice_number is not a value of this notification", str(ctx.exception))
        with self.assertRaises(ValidationError) as ctx:
            self.account.notify_invoices = True
        self.assertIn("Choose the template", str(ctx.exception))
        self.account.write(
            {
                "notify_invoices": True,
                "invoice_template_id": by_name["factura_emitida"].id,
                "invoice_template_params": "customer_name, invoice_number, invoice_amount",
            }
        )
        self.assertTrue(self.account.notify_invoices)
        with self.assertRaises(ValidationError) as ctx:
            self.account.write(
                {"state_template_id": by_name["promo_baja_calidad"].id, "state_template_params": "customer_name"}
            )
        self.assertIn("not approved or its quality is low", str(ctx.exception))

    def test_secrets_for_admins_only(self):
        account = self.account.with_user(self.user_view)
        self.assertEqual(account.name, "Agencia Lima")
        for field in ("token", "app_secret", "verify_token"):
            with self.assertRaises(AccessError):
                account.read([field])
        with self.assertRaises(AccessError):
            account.write({"rate_limit": 5})


@tagged("post_install", "-at_install")
class TestWhatsappSend(WhatsappCase):
    def _perform(self, jobs, attempts=MAX_ATTEMPTS):
        """Run trapped jobs as the runner would: a retryable error rolls the
        attempt back and the job runs again."""
        results = []
        for job in jobs:
            for _attempt in range(attempts):
                try:
                    with self.env.cr.savepoint():
                        results.append(job.perform())
                    break
                except RetryableJobError as err:
                    results.append(err)
        self.env.invalidate_all()
        return results

    def _start(self, record):
        with trap_sends() as trap:
            record.action_start()
            trap.assert_jobs_count(2)
            jobs = list(trap.enqueued_jobs)
        self.assertFalse(FakeGraph.sent, "nothing is sent in the user's transaction")
        return jobs

    def test_state_change_sends_to_every_number(self):
        record = self._file()
        jobs = self._start(record)
        messages = self._messages(record)
        self.assertEqual(messages.mapped("number"), [NUMBER_1, NUMBER_2])
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        self.assertEqual(jobs[0].channel, "root.whatsapp")
        self._perform(jobs)
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertTrue(all(m.wamid.startswith("wamid.") for m in messages))
        self.assertEqual(sorted(p["to"] for p in FakeGraph.sent), [DIGITS_1, DIGITS_2])
        payload = FakeGraph.sent[0]
        self.assertEqual(payload["type"], "template")
        self.assertEqual(payload["template"]["name"], "estado_expediente")
        self.assertEqual(payload["template"]["language"], {"code": "es"})
        values = [p["text"] for p in payload["template"]["components"][0]["parameters"]]
        self.assertEqual(values[:2], ["Importadora Andina S.A.C.", record.name])
        self.assertTrue(values[2])
        self.assertIn(f"su expediente {record.name} pasó a {values[2]}", messages[0].body)
        self.assertTrue(all(auth == f"Bearer {GOOD_TOKEN}" for _m, _p, auth in FakeGraph.requests_seen))
        notes = record.message_ids.filtered(lambda m: "WhatsApp to" in (m.body or ""))
        self.assertEqual(len(notes), 2, "each message is shown in the file's chatter")

    def test_send_from_the_button(self):
        record = self._file()
        action = record.with_user(self.user_edit).action_whatsapp_send()
        wizard_form = Form(self.env["whatsapp.send.wizard"].with_user(self.user_edit).with_context(**action["context"]))
        self.assertEqual(wizard_form.recipients, f"{NUMBER_1}, {NUMBER_2}")
        wizard_form.template_id = self.account.state_template_id
        self.assertEqual(wizard_form.template_params, "customer_name, file_reference, file_state")
        wizard = wizard_form.save()
        with trap_sends() as trap:
            result = wizard.action_send()
            trap.assert_jobs_count(2)
            jobs = list(trap.enqueued_jobs)
        self.assertIn(NUMBER_1, result["params"]["message"])
        self._perform(jobs)
        self.assertEqual(set(self._messages(record).mapped("state")), {"sent"})
        self.assertEqual(set(self._messages(record).mapped("event")), {"manual"})

    def test_expired_token_not_retried(self):
        self.account.token = "EAAG-expired"
        results = self._perform(self._start(self._file()))
        self.assertFalse([r for r in results if isinstance(r, RetryableJobError)], "a 401 is not retried")
        messages = self.Message.search([("account_id", "=", self.account.id)])
        self.assertEqual(set(messages.mapped("state")), {"failed"})
        self.assertEqual(set(messages.mapped("error_code")), {"190"})
        self.assertIn("Session has expired", messages[0].error_title)

    def test_429_then_success(self):
        FakeGraph.faults[DIGITS_1] = ["429"]
        record = self._file()
        results = self._perform(self._start(record))
        self.assertEqual(len([r for r in results if isinstance(r, RetryableJobError)]), 1)
        self.assertEqual(set(self._messages(record).mapped("state")), {"sent"})
        self.assertEqual(len(FakeGraph.sent), 2)

    def test_timeout_retried(self):
        FakeGraph.faults[DIGITS_2] = ["timeout"]
        record = self._file()
        results = self._perform(self._start(record))
        retried = [r for r in results if isinstance(r, RetryableJobError)]
        self.assertEqual(len(retried), 1)
        self.assertIn("timeout", str(retried[0]))
        self.assertEqual(set(self._messages(record).mapped("state")), {"sent"})

    def test_500_exhausted(self):
        """Stored jobs, run the way the job runner runs them, until queue_job
        has no retry left: the message ends failed with Meta's answer."""
        FakeGraph.faults[DIGITS_1] = ["500"] * MAX_ATTEMPTS
        record = self._file()
        record.action_start()
        message = self._messages(record)[0]
        stored = run_stored_dispatch(self.env).filtered(lambda j: j.records == message)
        self.assertEqual(stored.channel, "root.whatsapp")
        self.assertEqual(stored.max_retries, MAX_ATTEMPTS)
        for _attempt in range(MAX_ATTEMPTS):
            job = Job.load(self.env, stored.uuid)
            job.set_started()
            job.store()
            try:
                with self.env.cr.savepoint():
                    job.perform()
            except RetryableJobError:
                job.postpone()
                job.set_pending(reset_retry=False)
                job.store()
                self.assertEqual(message.state, "queued")
                continue
            job.set_done()
            job.store()
            break
        self.assertEqual(stored.retry, MAX_ATTEMPTS)
        self.assertEqual(stored.state, "done")
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.error_code, "1")
        self.assertIn("unknown error", message.error_title)
        self.assertFalse(FakeGraph.faults[DIGITS_1], f"{MAX_ATTEMPTS} requests")

    def test_meta_errors_shown_not_retried(self):
        FakeGraph.faults[NUMBER_1.lstrip("+")] = ["131047"]
        FakeGraph.faults[NUMBER_2.lstrip("+")] = ["132001"]
        record = self._file()
        results = self._perform(self._start(record))
        self.assertFalse([r for r in results if isinstance(r, RetryableJobError)])
        first, second = self._messages(record)
        self.assertEqual((first.state, first.error_code), ("failed", "131047"))
        self.assertIn("more than 24 hours", first.error_title)
        self.assertEqual((second.state, second.error_code), ("failed", "132001"))
        self.assertIn("does not exist in the translation", second.error_title)
        notes = record.message_ids.filtered(lambda m: "Error 131047" in (m.body or ""))
        self.assertEqual(len(notes), 1, "the failure and its code are in the chatter")

    def test_not_a_whatsapp_number(self):
        FakeGraph.faults[DIGITS_1] = ["131026"]
        record = self._file()
        self._perform(self._start(record))
        self.assertEqual(self._messages(record)[0].error_code, "131026")

    def test_rate_limit_postpones_without_spending_a_retry(self):
        self.account.rate_limit = 1
        record = self._file()
        results = self._perform(self._start(record), attempts=1)
        self.assertEqual(len(FakeGraph.sent), 1)
        postponed = [r for r in results if isinstance(r, RetryableJobError)]
        self.assertEqual(len(postponed), 1)
        self.assertTrue(postponed[0].ignore_retry)
        self.assertLessEqual(postponed[0].seconds, 61)
        self.assertEqual(sorted(self._messages(record).mapped("state")), ["queued", "sent"])

    def test_rate_limit_shared_by_two_workers(self):
        """Two database cursors stand for two workers sending for the same
        account: the minute's count lives in PostgreSQL."""
        cr_x, env_x = committed_env(self.registry)
        with cr_x:
            account_id = (
                env_x["whatsapp.account"]
                .create({"name": "Compartida", "phone_number_id": "1", "waba_id": "2", "rate_limit": 3})
                .id
            )
            cr_x.commit()
        self.addCleanup(self._drop_committed_account, account_id)
        with self.registry.cursor() as cr_1, self.registry.cursor() as cr_2:
            worker_1 = env_x(cr=cr_1)["whatsapp.account"].browse(account_id)
            worker_2 = env_x(cr=cr_2)["whatsapp.account"].browse(account_id)
            self._reset_rate(worker_1)
            self.assertTrue(worker_1._take_rate_slot())
            self.assertTrue(worker_2._take_rate_slot())  # worker 1's transaction is still open
            self.assertTrue(worker_1._take_rate_slot())
            self.assertFalse(worker_2._take_rate_slot())
            self.assertFalse(worker_1._take_rate_slot())
            cr_1.rollback()  # a rolled back send stays counted: it was sent
            self.assertFalse(worker_2._take_rate_slot())

    def _drop_committed_account(self, account_id):
        cr_x, env_x = committed_env(self.registry)
        with cr_x:
            account = env_x["whatsapp.account"].browse(account_id)
            self._reset_rate(account)
            account.unlink()
            cr_x.commit()

    def test_blacklisted_number_never_sent(self):
        self.env["phone.blacklist"].sudo()._add([NUMBER_2])
        self.assertEqual(self.customer.whatsapp_blacklisted, NUMBER_2)
        record = self._file()
        with trap_sends() as trap:
            record.action_start()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual([p["to"] for p in FakeGraph.sent], [DIGITS_1])

    def test_blacklisted_after_queueing(self):
        record = self._file()
        jobs = self._start(record)
        self.env["phone.blacklist"].sudo()._add([NUMBER_1])
        self._perform(jobs)
        first = self._messages(record)[0]
        self.assertEqual((first.state, first.error_code), ("failed", "blacklisted"))
        self.assertEqual([p["to"] for p in FakeGraph.sent], [DIGITS_2])

    def test_suspended_customer_gets_nothing_new(self):
        record = self._file()
        jobs = self._start(record)
        self.customer._suspend("Deuda vencida")
        self._perform(jobs)
        self.assertEqual(set(self._messages(record).mapped("error_code")), {"suspended"})
        self.assertFalse(FakeGraph.sent)
        with trap_sends() as trap:
            self.customer._customer_event("customs_file_state_changed", customs_files=record, previous={})
            trap.assert_jobs_count(0)
        with self.assertRaisesRegex(UserError, "suspended"):
            record.action_whatsapp_send()

    def test_free_text_only_within_24_hours(self):
        record = self._file()
        wizard = (
            self.env["whatsapp.send.wizard"]
            .with_context(default_partner_id=self.customer.id, default_customs_file_id=record.id)
            .create({"mode": "text", "free_text": "¿Nos envía la factura comercial?"})
        )
        with self.assertRaisesRegex(UserError, "within 24 hours"):
            wizard.action_send()
        self.Message._process_webhook(inbound(DIGITS_1, "Hola", wamid="wamid.in1"))
        wizard.invalidate_recordset()
        self.assertTrue(wizard.window_open)
        with trap_sends() as trap:
            wizard.action_send()
            trap.perform_enqueued_jobs()
        self.assertEqual({p["type"] for p in FakeGraph.sent}, {"text"})
        self.assertEqual(FakeGraph.sent[0]["text"]["body"], "¿Nos envía la factura comercial?")

    def test_invoice_posted(self):
        by_name = {t.name: t for t in self.account.template_ids}
        self.account.write(
            {
                "notify_invoices": True,
                "invoice_template_id": by_name["factura_emitida"].id,
                "invoice_template_params": "customer_name, invoice_number, invoice_amount",
            }
        )
        product = self.env["product.product"].create({"name": "Agenciamiento", "list_price": 300})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 250, "tax_ids": []})],
            }
        )
        with trap_sends() as trap:
            invoice.action_post()
            trap.assert_jobs_count(2)
            trap.perform_enqueued_jobs()
        messages = self.Message.search([("move_id", "=", invoice.id)])
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        values = [p["text"] for p in FakeGraph.sent[0]["template"]["components"][0]["parameters"]]
        self.assertEqual(values[1], invoice.name)
        self.assertIn("250", values[2])


@tagged("post_install", "-at_install")
class TestWhatsappAccess(WhatsappCase):
    def test_user_without_view_sees_no_message(self):
        record = self._file()
        with trap_sends():
            record.action_start()
        messages = self._messages(record)
        self.assertEqual(len(messages), 2)
        with self.assertRaises(AccessError):
            messages.with_user(self.user_plain).read(["number"])
        with self.assertRaises(AccessError):
            self.Message.with_user(self.user_plain).search([])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_plain).read(["whatsapp_message_ids"])
        seen = messages.with_user(self.user_view).read(["number", "body", "state"])
        self.assertEqual({row["state"] for row in seen}, {"queued"})
        self.assertTrue(all(row["body"] for row in seen))
        with self.assertRaises(AccessError):
            messages.with_user(self.user_view).write({"state": "read"})
        with self.assertRaises(AccessError):
            self.env["whatsapp.send.wizard"].with_user(self.user_view).create({"partner_id": self.customer.id})
