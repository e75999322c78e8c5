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

RECIPIENTS = 20
RUNS = 15
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


def bench_state_change(env):
    customer, _contact = make_customer(env, 94_000_001)
    numbers = [f"+5198770{i:04d}" for i in range(RECIPIENTS)]
    customer.write({"notification_whatsapp": ", ".join(numbers)})
    assert len(customer._whatsapp_recipients()) == RECIPIENTS
    CustomsFile = type(env["customs.file"])
    with_addon, without = [], []
    queries_on, queries_off = [], []
    for run in range(RUNS * 2):
        subscriber_on = run % 2 == 0
        record = env["customs.file"].create({"partner_id": customer.id, "operation_type": "import"})
        env.flush_all()
        patch = (
            contextlib.nullcontext()
            if subscriber_on
            else mock.patch.object(CustomsFile, "_whatsapp_notify", lambda self, event: None)
        )
        with patch:
            before = env.cr.sql_log_count
            start = time.perf_counter()
            record.action_start()
            env.flush_all()
            elapsed = time.perf_counter() - start
        (with_addon if subscriber_on else without).append(elapsed)
        (queries_on if subscriber_on else queries_off).append(env.cr.sql_log_count - before)
    created = env["whatsapp.message"].search_count([("partner_id", "=", customer.id)])
    jobs = env["queue.job"].search_count([("model_name", "=", "whatsapp.message")])
    assert created == RECIPIENTS * RUNS, created
    median_on, median_off = statistics.median(with_addon), statistics.median(without)
    report(
        f"State change of a customs file, customer with {RECIPIENTS} WhatsApp numbers ({RUNS} runs each)",
        [
            ("without the WhatsApp subscriber (median)", f"{median_off * 1000:.1f} ms"),
            ("with it: 20 messages + 20 jobs queued (median)", f"{median_on * 1000:.1f} ms"),
            ("added by the addon", f"{(median_on - median_off) * 1000:.1f} ms  (bar: < 20 ms)"),
            ("queries added (20 messages in one INSERT, 2 per job)", str(max(queries_on) - max(queries_off))),
            ("jobs queued in all", str(jobs)),
            ("load average during the run", " / ".join(f"{v:.1f}" for v in os.getloadavg())),
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
            bench_callbacks(env)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
