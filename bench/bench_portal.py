"""Customer portal benchmark: /my/expedientes (first page) and one customs
file's page for a portal user whose company has 1,000 customs files, against
Odoo's own /my/orders for the same user and 1,000 sales orders, in the same
run.

Requests go through Odoo's whole WSGI application (routing, session, record
rules, QWeb rendering) in this process, without a socket: the time measured
is server time. The data must be committed for the application's own cursor
to see it, so it is created once in the benchmark database and reused by
later runs (a dedicated database: BENCH_DB=ca_portal_bench bash bench/run.sh
bench/bench_portal.py).
"""

import statistics
import time

from bench_history import make_customer
from harness import odoo_env, report
from werkzeug.test import Client

import odoo
from odoo import Command, api, sql_db
from odoo.service import security

FILES, ORDERS = 1_000, 1_000
BATCH = 500
RUNS = 15
LOGIN = "bench_portal"


def make_data(env):
    customer, contact = make_customer(env, 93_000_001)
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "login": LOGIN,
            "password": LOGIN,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    for start in range(0, FILES, BATCH):
        env["customs.file"].create(
            [
                {
                    "partner_id": contact.id if i % 10 == 0 else customer.id,
                    "operation_type": "import" if i % 2 else "export",
                    "declaration_number": f"118-2026-10-{i:06d}",
                    "customs_office": "Callao",
                    "goods_description": "Repuestos",
                    "declared_value": 1000 + i,
                    "opening_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                }
                for i in range(start, min(start + BATCH, FILES))
            ]
        )
    env.flush_all()
    env.cr.execute(
        "UPDATE customs_file SET state = (ARRAY['draft', 'in_progress', 'released', 'closed'])[1 + id %% 4]"
        " WHERE commercial_partner_id = %s",
        [customer.id],
    )
    # The baseline: confirmed orders the portal user's company follows, as
    # Odoo's /my/orders lists them (states set in bulk: confirming is not
    # what is measured).
    for start in range(0, ORDERS, BATCH):
        orders = env["sale.order"].create(
            [
                {"partner_id": customer.id, "date_order": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00"}
                for i in range(start, min(start + BATCH, ORDERS))
            ]
        )
        orders.message_subscribe(partner_ids=customer.ids)
    env.flush_all()
    env.cr.execute("UPDATE sale_order SET state = 'sale' WHERE partner_id = %s", [customer.id])
    env.cr.execute("ANALYZE customs_file; ANALYZE sale_order; ANALYZE mail_followers")


def portal_client(env, user):
    """A WSGI client logged in as ``user`` (a session like HttpCase's)."""
    root = odoo.http.root
    session = root.session_store.new()
    session.update(odoo.http.get_default_session(), db=env.cr.dbname)
    session.uid = user.id
    session.login = user.login
    session.session_token = security.compute_session_token(session, env(user=user))
    session.context = dict(env(user=user)["res.users"].context_get())
    root.session_store.save(session)
    client = Client(root, use_cookies=False)
    return client, {"Cookie": f"session_id={session.sid}"}


def measure(client, headers, url):
    """Median server time (ms) of GET ``url`` and its number of queries."""
    response = client.get(url, headers=headers)  # warm the caches
    assert response.status_code == 200, (url, response.status_code, response.headers.get("Location"))
    times, queries = [], set()
    for _i in range(RUNS):
        q0 = sql_db.sql_counter
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        queries.add(sql_db.sql_counter - q0)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), sorted(queries), response.get_data(as_text=True)


def main():
    with odoo_env(
        context={"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}, commit=True
    ) as env:
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            print("creating the customer, 1,000 customs files and 1,000 orders (kept for later runs)...", flush=True)
            make_data(env)
            user = env["res.users"].search([("login", "=", LOGIN)])
        company = user.partner_id.commercial_partner_id
        files = env["customs.file"].search(
            [("commercial_partner_id", "=", company.id)], order="opening_date desc, id desc"
        )
        assert len(files) == FILES, len(files)
        newest = files[0]
        env.cr.commit()

        client, headers = portal_client(api.Environment(env.cr, odoo.SUPERUSER_ID, {}), user)
        env.cr.commit()
        figures = {
            "list": measure(client, headers, "/my/expedientes"),
            "list_filtered": measure(client, headers, "/my/expedientes?filterby=import&search=118-2026"),
            "page_2": measure(client, headers, "/my/expedientes/page/5"),
            "detail": measure(client, headers, f"/my/expedientes/{newest.id}"),
            "orders": measure(client, headers, "/my/orders"),
            "invoices": measure(client, headers, "/my/invoices"),
        }
        rows_shown = figures["list"][2].count("o_customs_file_row")
        orders_shown = figures["orders"][2].count("/my/orders/")
        assert rows_shown == 80, rows_shown

        def row(label, key, target):
            ms, queries, _html = figures[key]
            base_ms = figures["orders"][0]
            return (label, f"{ms:7.1f} ms  {queries} queries  ({ms / base_ms:.2f}x /my/orders)  target {target}")

        report(
            f"Portal, {FILES} customs files, {rows_shown} rows per page (same run: /my/orders, {ORDERS} orders,"
            f" {orders_shown} links on its first page)",
            [
                row("/my/expedientes (first page)", "list", "< 200 ms, fixed queries"),
                row("/my/expedientes filtered + searched", "list_filtered", "< 200 ms"),
                row("/my/expedientes/page/5", "page_2", "< 200 ms"),
                row("/my/expedientes/<id>", "detail", "< 150 ms"),
                row("/my/orders (Odoo, baseline)", "orders", "-"),
                row("/my/invoices (Odoo, no invoice)", "invoices", "-"),
            ],
        )
        ms_list, q_list, _ = figures["list"]
        ms_detail = figures["detail"][0]
        print(
            f"\n  list {'OK' if ms_list < 200 and len(q_list) == 1 else 'OVER'}"
            f"  detail {'OK' if ms_detail < 150 else 'OVER'}"
        )


if __name__ == "__main__":
    main()
