import contextlib
import time

import odoo.tests.common as odoo_tests_common
from odoo import SUPERUSER_ID, api
from odoo.tests import HttpCase
from odoo.tools import SQL

# queue_job's test helpers (18.0.4.x) register their patcher in
# SETATTR_SOURCES, which Odoo 18 builds newer than 2025-04 define; this build
# has no such check, so an empty registry is all they need.
if not hasattr(odoo_tests_common, "SETATTR_SOURCES"):
    odoo_tests_common.SETATTR_SOURCES = {}

# pylint: disable=wrong-import-position
from odoo.addons.clientes_aduanas.tests.common import ClientesAduanasCase, CustomerDataMixin
from odoo.addons.clientes_aduanas.tools import rate_limit
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from . import fake_graph
from .fake_graph import FakeGraph

__all__ = ["inbound", "status", "statuses", "trap_jobs", "trap_sends"]


class SendJobsTrap:
    """queue_job's trap seen from the send jobs. The user's request queues
    one dispatch job, which queues one send job per message when the job
    runner runs it after the commit: every count and run of this trap first
    runs the trapped dispatch jobs, as the runner would."""

    def __init__(self, trap):
        self.trap = trap
        self.dispatched = 0

    def _dispatch(self):
        pending = [job for job in self.trap.enqueued_jobs if job.method_name == "_dispatch_send_jobs"]
        for job in pending:
            self.trap.enqueued_jobs.remove(job)
            job.perform()
            self.dispatched += 1

    @property
    def enqueued_jobs(self):
        self._dispatch()
        return self.trap.enqueued_jobs

    def assert_jobs_count(self, expected):
        self._dispatch()
        self.trap.assert_jobs_count(expected)

    def perform_enqueued_jobs(self):
        self._dispatch()
        self.trap.perform_enqueued_jobs()


@contextlib.contextmanager
def trap_sends():
    with trap_jobs() as trap:
        yield SendJobsTrap(trap)


def run_stored_dispatch(env):
    """What the job runner does after the commit: run the stored dispatch
    jobs; returns the send jobs they stored."""
    Job_ = env["queue.job"]
    for stored in Job_.search([("method_name", "=", "_dispatch_send_jobs"), ("state", "=", "pending")]):
        job = Job.load(env, stored.uuid)
        job.perform()
        job.set_done()
        job.store()
    return Job_.search([("method_name", "=", "_send_job"), ("state", "=", "pending")], order="id")


NUMBER_1 = "+51987650001"
NUMBER_2 = "+51987650002"


# Meta's webhook callbacks, as the Graph API posts them.
def _webhook(value):
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": fake_graph.WABA_ID,
                "changes": [
                    {"field": "messages", "value": {"metadata": {"phone_number_id": fake_graph.PHONE_ID}, **value}}
                ],
            }
        ],
    }


def statuses(*items):
    """A callback with delivery statuses (``status(...)`` items)."""
    return _webhook({"statuses": list(items)})


def status(wamid, state, ts=None, **extra):
    digits = NUMBER_1.lstrip("+")
    return {"id": wamid, "status": state, "timestamp": str(ts or int(time.time())), "recipient_id": digits, **extra}


def inbound(number, text, ts=None, wamid=None):
    """A callback with a customer's text message from ``number`` (with or
    without its +)."""
    digits = number.lstrip("+")
    return _webhook(
        {
            "contacts": [{"wa_id": digits, "profile": {"name": "Ana"}}],
            "messages": [
                {
                    "from": digits,
                    "id": wamid or f"wamid.in.{digits}.{time.time_ns()}",
                    "timestamp": str(ts or int(time.time())),
                    "type": "text",
                    "text": {"body": text},
                }
            ],
        }
    )


class WhatsappSetupMixin:
    """A WhatsApp account pointed at the fake Graph API, its templates
    synchronised, and a customer with two WhatsApp numbers."""

    @classmethod
    def _start_fake_graph(cls):
        # What an earlier class left in the fake API is none of this one's.
        FakeGraph.reset()
        cls.server, cls.graph_url = fake_graph.start_server()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)

    @classmethod
    def _setup_whatsapp(cls, env):
        account = env["whatsapp.account"].create(
            {
                "name": "Agencia Lima",
                "phone_number_id": fake_graph.PHONE_ID,
                "waba_id": fake_graph.WABA_ID,
                "token": fake_graph.GOOD_TOKEN,
                "app_secret": "app-secret-123",
                "verify_token": "verify-me",
                "api_url": cls.graph_url,
                "api_version": fake_graph.VERSION,
                "timeout": 0.6,
                "rate_limit": 0,
            }
        )
        account.action_sync_templates()
        template = account.template_ids.filtered(lambda t: t.name == "estado_expediente")
        account.write(
            {"state_template_id": template.id, "state_template_params": "customer_name, file_reference, file_state"}
        )
        return account


class WhatsappHttpCase(WhatsappSetupMixin, CustomerDataMixin, HttpCase):
    """The account on the fake Graph API, for the tests that go through
    Odoo's HTTP server (webhook routes, tours)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_customer_data()
        # Odoo's server calls the fake API from its own threads.
        cls._start_fake_graph()
        cls.account = cls._setup_whatsapp(cls.env)


class WhatsappCase(WhatsappSetupMixin, ClientesAduanasCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_fake_graph()
        cls.account = cls._setup_whatsapp(cls.env)
        cls.Message = cls.env["whatsapp.message"]
        cls.customer = cls._create_customer(
            name="Importadora Andina S.A.C.",
            notification_whatsapp=f"{NUMBER_1}, {NUMBER_2}",
            lang="es_PE",
        )

    def setUp(self):
        super().setUp()
        FakeGraph.reset()
        self._reset_rate(self.account)

    def _reset_rate(self, account):
        """Counts of an earlier run with the same id, from a committed cursor
        (the counter is written by committed cursors of its own)."""
        with self.registry.cursor() as cr_x:
            cr_x.execute(
                SQL("DELETE FROM %s WHERE key = %s", SQL.identifier(rate_limit.TABLE), f"whatsapp.account,{account.id}")
            )
            cr_x.commit()

    def _file(self, **vals):
        return self.env["customs.file"].create({"partner_id": self.customer.id, "operation_type": "import", **vals})

    def _messages(self, record):
        return self.Message.search([("customs_file_id", "=", record.id)], order="number")


def committed_env(registry):
    cr = registry.cursor()
    return cr, api.Environment(cr, SUPERUSER_ID, {})
