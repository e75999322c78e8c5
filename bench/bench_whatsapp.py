"""WhatsApp benchmark (clientes_aduanas_whatsapp).

1. A customs file's state change for a customer with 20 WhatsApp numbers:
   the time the addon adds to the user's request (20 messages and 20 queued
   jobs written, nothing sent), against the same change with the addon's
   subscriber switched off, interleaved in the same run.
2. 1,000 delivery-status callbacks (what the webhook controller does after
   reading the body: the accounts' secrets, the signature, the statuses) on a
   table of 100,000 messages, and the queries per callback, against the same
   callbacks on a table of 1,000 messages.

Everything is rolled back. The addon is installed in the benchmark database
if missing: BENCH_DB=ca_wa_bench bash bench/run.sh bench/bench_whatsapp.py
"""

import contextlib
import hashlib
import hmac
import json
import os
import random
import statistics
import time
from unittest import mock

from bench_history import make_customer
from harness import odoo_env, report

import odoo
from odoo import SUPERUSER_ID, api
from odoo.sql_db import Cursor as SqlCursor

RECIPIENTS = 20
RUNS = 15
ROUNDS = 3
CALLBACKS = 1_000
SECRET = "bench-secret"


def ensure_installed():
    with odoo_env(commit=True) as env:
        module = env["ir.module.module"].search([("name", "=", "clientes_aduanas_whatsapp")])
        if module.state != "installed":
            module.button_immediate_install()


def make_account(env):
    account = env["whatsapp.account"].create(
        {
            "name": "Bench",
            "phone_number_id": "1",
            "waba_id": "2",
            "token": "t",
            "app_secret": SECRET,
            "api_url": "http://127.0.0.1:9",
        }
    )
    template = env["whatsapp.template"].create(
        {
            "account_id": account.id,
            "name": "estado_expediente",
            "language": "es",
            "status": "APPROVED",
            "quality": "GREEN",
            "body": "Hola {{1}}, su expediente {{2}} pasó a {{3}}.",
            "param_count": 3,
        }
    )
    account.write(
        {"state_template_id": template.id, "state_template_params": "customer_name, file_reference, file_state"}
    )
    return account


def _subscriber_off(env):
    """The addon's customs-file subscriber switched off (the baseline)."""
    CustomsFile = type(env["customs.file"])
    if hasattr(CustomsFile, "_whatsapp_notify"):
        return mock.patch.object(CustomsFile, "_whatsapp_notify", lambda self, event: None)
    # The code before the dispatch job (for before/after figures).
    return mock.patch.object(CustomsFile, "_whatsapp_notify_state", lambda self: None)


@contextlib.contextmanager
def _sql_log(queries):
    """Collect the SQL run inside the block (BENCH_WA_SQL=1: profile)."""
    original = SqlCursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        queries.append(str(query if isinstance(query, str) else getattr(query, "code", query))[:160])
        return original(self, query, params, log_exceptions)

    with mock.patch.object(SqlCursor, "execute", execute):
        yield


def _state_change_round(env, customer):
    with_addon, without, queries_on, queries_off = [], [], [], []
    for run in range(RUNS * 2):
        subscriber_on = run % 2 == 0
        record = env["customs.file"].create({"partner_id": customer.id, "operation_type": "import"})
        env.flush_all()
        with contextlib.nullcontext() if subscriber_on else _subscriber_off(env):
            before = env.cr.sql_log_count
            start = time.perf_counter()
            record.action_start()
            env.flush_all()
            elapsed = time.perf_counter() - start
        (with_addon if subscriber_on else without).append(elapsed)
        (queries_on if subscriber_on else queries_off).append(env.cr.sql_log_count - before)
    return with_addon, without, queries_on, queries_off


def bench_state_change(env):
    customer, _contact = make_customer(env, 94_000_001)
    numbers = [f"+5198770{i:04d}" for i in range(RECIPIENTS)]
    customer.write({"notification_whatsapp": ", ".join(numbers)})
    assert len(customer._whatsapp_recipients()) == RECIPIENTS
    load_before = os.getloadavg()
    added, on_medians, off_medians, queries = [], [], [], []
    for _round in range(ROUNDS):
        with_addon, without, queries_on, queries_off = _state_change_round(env, customer)
        on_medians.append(statistics.median(with_addon))
        off_medians.append(statistics.median(without))
        added.append(on_medians[-1] - off_medians[-1])
        queries.append(max(queries_on) - max(queries_off))
    load_after = os.getloadavg()
    created = env["whatsapp.message"].search_count([("partner_id", "=", customer.id)])
    jobs = env["queue.job"].search_count([("model_name", "=", "whatsapp.message")])
    assert created == RECIPIENTS * RUNS * ROUNDS, created
    if os.environ.get("BENCH_WA_PROFILE"):
        import cProfile
        import pstats

        records = env["customs.file"].create(
            [{"partner_id": customer.id, "operation_type": "import"} for _i in range(RUNS)]
        )
        env.flush_all()
        profile = cProfile.Profile()
        profile.enable()
        for record in records:
            record._whatsapp_notify("customs_file_state_changed")
            env.flush_all()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    if os.environ.get("BENCH_WA_SQL"):
        record = env["customs.file"].create({"partner_id": customer.id, "operation_type": "import"})
        env.flush_all()
        sql = []
        with _sql_log(sql):
            record.action_start()
            env.flush_all()
        with _subscriber_off(env):
            record2 = env["customs.file"].create({"partner_id": customer.id, "operation_type": "import"})
            env.flush_all()
            base = []
            with _sql_log(base):
                record2.action_start()
                env.flush_all()
        print(f"\n-- SQL of one state change with the subscriber ({len(sql)}; without it: {len(base)})")
        for line in sql:
            print("  ", line.replace("\n", " "))

    def ms(values):
        return " / ".join(f"{v * 1000:.1f}" for v in values)

    report(
        f"State change of a customs file, customer with {RECIPIENTS} WhatsApp numbers "
        f"({ROUNDS} rounds of {RUNS} interleaved runs each)",
        [
            ("without the WhatsApp subscriber, median per round (ms)", ms(off_medians)),
            ("with it, median per round (ms)", ms(on_medians)),
            ("added by the addon, per round (ms)", ms(added)),
            (
                "added by the addon: median of the rounds [spread]",
                f"{statistics.median(added) * 1000:.1f} ms [{min(added) * 1000:.1f} - {max(added) * 1000:.1f}]"
                "  (bar: < 20 ms)",
            ),
            ("queries added, per round", " / ".join(str(q) for q in queries)),
            ("jobs stored in all (rolled back)", str(jobs)),
            (
                "load average before / after (1, 5, 15 min)",
                " / ".join(f"{v:.1f}" for v in load_before) + "  ->  " + " / ".join(f"{v:.1f}" for v in load_after),
            ),
        ],
    )


def fill_messages(env, account, customer, count):
    env.cr.execute("DELETE FROM whatsapp_message")
    env.cr.execute(
        """INSERT INTO whatsapp_message
               (account_id, partner_id, number, event, state, wamid, body,
                create_date, write_date, create_uid, write_uid)
           SELECT %s, %s, '+51987700001', 'customs_file_state_changed', 'sent',
                  'wamid.bench.' || n, 'Hola', now(), now(), 1, 1
             FROM generate_series(1, %s) n""",
        [account.id, customer.id, count],
    )
    env.cr.execute("ANALYZE whatsapp_message")
    env.invalidate_all()


def callback_body(wamid, status, ts):
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "2",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "metadata": {"phone_number_id": "1"},
                            "statuses": [{"id": wamid, "status": status, "timestamp": ts}],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def run_callbacks(env, count, table_size):
    from odoo.addons.clientes_aduanas_whatsapp.controllers.main import valid_signature

    rng = random.Random(7)
    picks = [rng.randint(1, table_size) for _ in range(count)]
    times, queries = [], []
    Message = env["whatsapp.message"].sudo()
    Account = env["whatsapp.account"].sudo()
    for i, n in enumerate(picks):
        body = callback_body(f"wamid.bench.{n}", ("delivered", "read")[i % 2], str(1_700_000_000 + i))
        header = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        # What the controller does: the accounts the body names, their
        # secrets, then the statuses.
        changes = Account._webhook_changes(json.loads(body))
        assert all(valid_signature(account.app_secret, body, header) for account, _value in changes)
        Message._apply_webhook(changes)
        env.flush_all()
        times.append(time.perf_counter() - start)
        queries.append(env.cr.sql_log_count - before)
    return times, queries


def bench_callbacks(env):
    account = env["whatsapp.account"].search([], limit=1)
    customer, _contact = make_customer(env, 94_000_002)
    rows = []
    for size in (1_000, 100_000):
        fill_messages(env, account, customer, size)
        times, queries = run_callbacks(env, CALLBACKS, size)
        times.sort()
        rows += [
            (f"{size:>7,} messages: median", f"{statistics.median(times) * 1000:.2f} ms  (bar: < 10 ms)"),
            (f"{size:>7,} messages: p95", f"{times[int(len(times) * 0.95)] * 1000:.2f} ms"),
            (f"{size:>7,} messages: queries per callback", f"{min(queries)}-{max(queries)}"),
        ]
    report(f"{CALLBACKS:,} status callbacks (signature + statuses)", rows)


def main():
    ensure_installed()
    # The harness parses the configuration once per process: the second
    # environment opens the (reloaded) registry directly, and rolls back.
    registry = odoo.modules.registry.Registry.new(os.environ["BENCH_DB"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            make_account(env)
            bench_state_change(env)
            if os.environ.get("BENCH_WA_ONLY") != "state":
                bench_callbacks(env)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
