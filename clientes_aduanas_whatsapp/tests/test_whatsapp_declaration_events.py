from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NUMBER_1, NUMBER_2, WhatsappCase, trap_sends
from .fake_graph import FakeGraph


@tagged("post_install", "-at_install")
class TestWhatsappDeclarationEvents(WhatsappCase):
    """The customs declaration's events (selectivity channel, levante), each
    with its own template and parameters, sent through the fake Graph API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        by_name = {t.name: t for t in cls.account.template_ids}
        cls.account.write(
            {
                "channel_template_id": by_name["canal_asignado"].id,
                "channel_template_params": "customer_name, file_reference, selectivity_channel",
                "release_template_id": by_name["levante"].id,
                "release_template_params": "customer_name, file_reference, release_date, file_portal_url",
            }
        )
        cls.customer.tz = "America/Lima"

    def _send(self, action):
        """Run ``action`` (the user's request), then the jobs as the runner
        would; returns the messages queued."""
        before = self.Message.search([])
        FakeGraph.reset()
        with trap_sends() as trap:
            action()
            self.assertFalse(FakeGraph.sent, "nothing is sent in the user's transaction")
            trap.perform_enqueued_jobs()
        return self.Message.search([("id", "not in", before.ids)], order="number")

    def _file(self, **vals):
        # A released file needs its declaration number.
        return super()._file(declaration_number="118-2026-10-004321", **vals)

    def _sent_params(self):
        return [[p["text"] for p in sent["template"]["components"][0]["parameters"]] for sent in FakeGraph.sent]

    def test_channel_assigned(self):
        record = self._file()
        record.action_start()
        messages = self._send(lambda: record.write({"selectivity_channel": "red"}))
        self.assertEqual(messages.mapped("number"), [NUMBER_1, NUMBER_2])
        self.assertEqual(set(messages.mapped("event")), {"customs_file_channel_assigned"})
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual({sent["template"]["name"] for sent in FakeGraph.sent}, {"canal_asignado"})
        label = dict(
            record.with_context(lang="es_PE")
            ._fields["selectivity_channel"]
            ._description_selection(record.with_context(lang="es_PE").env)
        )["red"]
        self.assertEqual(self._sent_params()[0], ["Importadora Andina S.A.C.", record.name, label])
        self.assertIn(f"a su expediente {record.name} la aduana le asignó canal {label}.", messages[0].body)
        # A changed channel is announced again; the same one is not.
        self.assertEqual(len(self._send(lambda: record.write({"selectivity_channel": "green"}))), 2)
        self.assertFalse(self._send(lambda: record.write({"selectivity_channel": "green"})))

    def test_release_announced_by_the_levante_message_alone(self):
        record = self._file()
        record.action_start()
        messages = self._send(record.action_release)
        self.assertEqual(set(messages.mapped("event")), {"customs_file_released"}, "no second, state message")
        self.assertEqual(len(messages), 2)
        self.assertEqual({sent["template"]["name"] for sent in FakeGraph.sent}, {"levante"})
        name, reference, release, url = self._sent_params()[0]
        self.assertEqual((name, reference), ("Importadora Andina S.A.C.", record.name))
        self.assertTrue(url.endswith(record.get_portal_url()))
        local = record.release_datetime.replace(tzinfo=None)
        self.assertEqual(release, record.with_context(lang="es_PE")._whatsapp_release_date())
        # Day first (es_PE), in Lima (UTC-5).
        self.assertRegex(release, r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")
        self.assertEqual(int(release[-5:-3]), (local.hour - 5) % 24)

    def test_levante_recorded_by_itself(self):
        record = self._file()
        record.action_start()
        messages = self._send(lambda: record.write({"release_datetime": datetime(2026, 12, 4, 15, 30)}))
        self.assertEqual(set(messages.mapped("event")), {"customs_file_released"})
        self.assertEqual(self._sent_params()[0][2], "04/12/2026 10:30", "Lima time, the customer's format")

    def test_without_levante_template_the_state_message_announces_it(self):
        self.account.release_template_id = False
        record = self._file()
        record.action_start()
        messages = self._send(record.action_release)
        self.assertEqual(set(messages.mapped("event")), {"customs_file_state_changed"})
        self.assertEqual({sent["template"]["name"] for sent in FakeGraph.sent}, {"estado_expediente"})

    def test_parameters_of_each_event_checked(self):
        for field, value, error in (
            ("channel_template_params", "customer_name, file_reference, release_date", "release_date is not a value"),
            ("state_template_params", "customer_name, file_reference, selectivity_channel", "selectivity_channel is"),
            ("release_template_params", "customer_name, file_reference, release_date", "has 4 parameters and 3 values"),
        ):
            with self.assertRaisesRegex(ValidationError, error), self.env.cr.savepoint():
                self.account.write({field: value})
            self.account.invalidate_recordset()

    def test_suspended_customer_gets_no_declaration_message(self):
        record = self._file()
        record.action_start()
        self.customer._suspend("Deuda vencida")
        self.assertFalse(self._send(lambda: record.sudo().write({"selectivity_channel": "green"})))
        self.assertFalse(FakeGraph.sent)
