from odoo.tests import tagged

from .common import WhatsappCase, trap_jobs, trap_sends

RECIPIENTS = 20


@tagged("post_install", "-at_install")
class TestWhatsappRequestCost(WhatsappCase):
    """What a customs file's change costs the user's request: the messages
    in one INSERT and one dispatch job, whatever the number of recipients;
    one send job per recipient is queued by that job, after the commit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.numbers = [f"+5198770{i:04d}" for i in range(RECIPIENTS)]
        cls.customer.notification_whatsapp = ", ".join(cls.numbers)

    def test_one_job_in_the_request_one_per_recipient_after(self):
        record = self._file()
        with trap_jobs() as trap:
            record.action_start()
            self.assertEqual([job.method_name for job in trap.enqueued_jobs], ["_dispatch_send_jobs"])
        with trap_sends() as trap:
            self._file().action_start()
            trap.assert_jobs_count(RECIPIENTS)
            self.assertEqual({job.method_name for job in trap.enqueued_jobs}, {"_send_job"})
            self.assertEqual({job.channel for job in trap.enqueued_jobs}, {"root.whatsapp"})

    def test_fixed_queries_whatever_the_recipients(self):
        """The account (cached), the blacklist, one INSERT of the messages,
        queue_job's two queries for the dispatch job."""
        warm = self._file()
        warm._whatsapp_notify("customs_file_state_changed")
        for count in (RECIPIENTS, 2):
            self.customer.notification_whatsapp = ", ".join(self.numbers[:count])
            record = self._file()
            record.sudo()._portal_ensure_token()
            self.env.flush_all()
            before = self.Message.search_count([])
            with self.assertQueryCount(4):
                record._whatsapp_notify("customs_file_state_changed")
                self.env.flush_all()
            self.assertEqual(self.Message.search_count([]), before + count)

    def test_account_cache_follows_the_accounts(self):
        company = self.env.company
        self.assertEqual(self.env["whatsapp.account"]._for_company(company), self.account)
        self.account.active = False
        self.assertFalse(self.env["whatsapp.account"]._for_company(company))
        other = self.env["whatsapp.account"].create({"name": "Otra", "phone_number_id": "5", "waba_id": "6"})
        self.assertEqual(self.env["whatsapp.account"]._for_company(company), other)
        self.account.active = True
        self.account.sequence = 1
        self.assertEqual(self.env["whatsapp.account"]._for_company(company), self.account)
        self.account.company_id = self.env["res.company"].create({"name": "Otra empresa"})
        self.assertEqual(self.env["whatsapp.account"]._for_company(company), other)
        other.unlink()
        self.assertFalse(self.env["whatsapp.account"]._for_company(company))
