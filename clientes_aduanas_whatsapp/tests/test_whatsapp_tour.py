from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import NUMBER_1, NUMBER_2, WhatsappHttpCase, run_stored_dispatch, status, statuses
from .fake_graph import FakeGraph


@tagged("post_install", "-at_install", "clientes_aduanas_http")
class TestWhatsappTour(WhatsappHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "clientes_aduanas.clientes_aduanas_group_%s"
        new_test_user(cls.env, login="ca_wa_agent", groups=f"{group % 'view'},{group % 'edit'}")
        cls.customer = cls._create_customer(
            name="Importaciones Andinas del Sur S.A.C.", notification_whatsapp=f"{NUMBER_1}, {NUMBER_2}"
        )
        cls.file = cls.env["customs.file"].create({"partner_id": cls.customer.id, "operation_type": "import"})

    def test_send_from_a_customs_file_and_see_the_state(self):
        FakeGraph.reset()
        url = f"/odoo/action-clientes_aduanas.customs_file_action/{self.file.id}"
        self.start_tour(url, "clientes_aduanas_whatsapp_send_from_file", login="ca_wa_agent")
        messages = self.file.whatsapp_message_ids
        self.assertEqual(sorted(messages.mapped("number")), [NUMBER_1, NUMBER_2])
        self.assertFalse(FakeGraph.sent, "nothing was sent during the request")
        # What the job runner does after the commit.
        dispatch = self.env["queue.job"].search([("model_name", "=", "whatsapp.message")])
        self.assertEqual(dispatch.mapped("method_name"), ["_dispatch_send_jobs"], "one job in the request")
        jobs = run_stored_dispatch(self.env)
        self.assertEqual(len(jobs), 2)
        for stored in jobs:
            Job.load(self.env, stored.uuid).perform()
        self.assertEqual(len(FakeGraph.sent), 2)
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        # Meta's callbacks.
        by_number = {m.number: m for m in messages}
        self.env["whatsapp.message"]._process_webhook(
            statuses(
                status(by_number[NUMBER_1].wamid, "delivered", ts=1),
                status(by_number[NUMBER_2].wamid, "read", ts=2),
            )
        )
        self.start_tour(url, "clientes_aduanas_whatsapp_state_on_file", login="ca_wa_agent")
