"""Customs declaration benchmark: a customs file with 200 goods lines and 40
containers, and the customer documents' expiry cron over 100,000 documents.
Measures the form load (web_read of the form view's
specification, cold cache) and its number of queries, which must not grow
with the lines, and the recomputation of CIF and taxes after one goods line
changes (write + flush). Baseline in the same run: Odoo's own sale order
with 200 lines, read with its form's specification and its amounts
recomputed after one line's price changes.

The expiry cron (res.partner.customer.document._cron_notify_expiring) runs
over 100,000 documents of 500 customers, expiry dates spread over three
years: its first run (every document already expired or expiring within 30
days gets its activity, about a third) and the next day's run (the few that
entered the window). Baseline in the same run: Odoo's own mail.activity
creation of the same activities (create in one batch, no document reading).
The 500 customers and the documents are committed on purpose (reused, the
documents rewritten, by the next run): a cron meets documents saved on
earlier days.

Everything else is rolled back at the end.
"""

import statistics
import time

from bench_history import make_customer
from harness import odoo_env, report
from lxml import etree

from odoo import SUPERUSER_ID, Command, api, sql_db

LINES, CONTAINERS, RUNS = 200, 40, 15
DOCUMENTS, DOCUMENT_CUSTOMERS = 100_000, 500


def container_numbers(count):
    from odoo.addons.clientes_aduanas.tools import container_number

    numbers = []
    serial = 100000
    while len(numbers) < count:
        head = f"BNCU{serial:06d}"
        numbers.append(head + str(container_number.check_digit(head)))
        serial += 7
    return numbers


def form_spec(env, model):
    """The specification the web client sends for ``model``'s form: every
    field of the arch, x2many fields with the fields of their inline list."""
    views = env[model].get_views([(False, "form")])
    arch = etree.fromstring(views["views"]["form"]["arch"])

    def spec_of(node, model_name, spec=None):
        spec = {} if spec is None else spec
        fields_info = env[model_name]._fields
        for child in node:
            if child.tag != "field":
                spec_of(child, model_name, spec)
                continue
            field = fields_info.get(child.get("name"))
            if field is None:
                continue
            if field.type in ("one2many", "many2many"):
                sub = child.find("list")
                spec[field.name] = {"fields": spec_of(sub, field.comodel_name) if sub is not None else {}}
            elif field.type == "many2one":
                spec[field.name] = {"fields": {"display_name": {}}}
            else:
                spec[field.name] = {}
        return spec

    return spec_of(arch, model)


def measure_read(env, record, spec):
    times, queries = [], set()
    record.web_read(spec)
    for _i in range(RUNS):
        env.invalidate_all()
        q0 = sql_db.sql_counter
        start = time.perf_counter()
        record.web_read(spec)
        times.append((time.perf_counter() - start) * 1000)
        queries.add(sql_db.sql_counter - q0)
    return statistics.median(times), sorted(queries)


def measure_change(env, write):
    times = []
    for i in range(RUNS):
        start = time.perf_counter()
        write(i)
        env.flush_all()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def make_file(env, customer, lines, containers):
    return env["customs.file"].create(
        {
            "partner_id": customer.id,
            "customs_office_id": env.ref("clientes_aduanas.customs_office_hn_pco").id,
            "freight_amount": 1850.0,
            "insurance_amount": 190.0,
            "container_ids": [
                Command.create({"name": number, "container_type": "40hc"}) for number in container_numbers(containers)
            ],
            "goods_line_ids": [
                Command.create(
                    {
                        "tariff_code": f"8471.{i % 100:02d}.00",
                        "name": f"Mercancía {i}",
                        "quantity": 1 + i,
                        "fob_amount": 100.0 + i,
                        "duty_rate": (0, 5, 10, 15)[i % 4],
                    }
                )
                for i in range(lines)
            ],
        }
    )


def make_documents(env, customers):
    """``DOCUMENTS`` documents in SQL (their creation is not what is
    measured), expiry dates spread from a year ago to two years ahead."""
    document_type = env.ref("clientes_aduanas.customer_document_type_mandate")
    env.cr.execute(
        """
        INSERT INTO res_partner_customer_document
               (partner_id, document_type_id, number, expiry_date, expiry_notified,
                create_uid, write_uid, create_date, write_date)
        SELECT (%(customers)s)[1 + i %% %(count)s], %(type)s, 'DOC-' || i,
               CURRENT_DATE - 365 + (i %% 1095), false, 1, 1, now(), now()
          FROM generate_series(1, %(documents)s) AS i
        """,
        {"customers": customers.ids, "count": len(customers), "type": document_type.id, "documents": DOCUMENTS},
    )
    env.invalidate_all()


def setup_documents(registry):
    """The customers and their documents, committed (and reused by the next
    runs, the documents written anew): the cron meets documents saved on
    earlier days. Documents inserted in the measuring transaction itself
    would make PostgreSQL check every foreign key of each row the cron
    updates, a cost no real run pays."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        suffixes = [95_000_000 + i for i in range(DOCUMENT_CUSTOMERS)]
        Partner = env["res.partner"].with_context(active_test=False)
        existing = Partner.search(
            [
                ("is_registered_customer", "=", True),
                ("email", "in", [f"historial{s}@bench.example.pe" for s in suffixes]),
            ]
        )
        known = set(existing.mapped("email"))
        customers = existing
        for suffix in suffixes:
            if f"historial{suffix}@bench.example.pe" not in known:
                customers |= make_customer(env, suffix)[0]
        env.flush_all()
        cr.execute("DELETE FROM res_partner_customer_document WHERE partner_id = ANY(%s)", [customers.ids])
        make_documents(env, customers)
        cr.commit()


def measure_expiry_cron(registry):
    """Median of 3 first runs (each rolled back to a savepoint) and of the
    next day's run, with the baseline; nothing of it is committed."""
    from odoo import fields

    from odoo.addons.clientes_aduanas.models import res_partner_customer_document as documents_module

    setup_documents(registry)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        try:
            _measure_expiry_cron(env, fields, documents_module)
        finally:
            cr.rollback()


def _measure_expiry_cron(env, fields, documents_module):
    Document = env["res.partner.customer.document"]
    first, baseline, created = [], [], 0
    limit = fields.Date.context_today(Document) + documents_module.timedelta(days=documents_module.EXPIRY_NOTICE_DAYS)
    for _run in range(3):
        with env.cr.savepoint(flush=False) as savepoint:
            before = env["mail.activity"].search_count([])
            start = time.perf_counter()
            Document._cron_notify_expiring()
            env.flush_all()
            first.append(time.perf_counter() - start)
            created = env["mail.activity"].search_count([]) - before
            savepoint.rollback()
        env.invalidate_all()
        with env.cr.savepoint(flush=False) as savepoint:
            env.cr.execute("SELECT partner_id FROM res_partner_customer_document WHERE expiry_date <= %s", [limit])
            partner_ids = [row[0] for row in env.cr.fetchall()]
            model_id = env["ir.model"]._get_id("res.partner")
            todo = env.ref("mail.mail_activity_data_todo").id
            # Odoo makes the user a follower in one insert that fails on a
            # customer repeated in the batch: following first, untimed.
            env["res.partner"].browse(set(partner_ids)).message_subscribe(partner_ids=env.user.partner_id.ids)
            env.flush_all()
            start = time.perf_counter()
            env["mail.activity"].with_context(mail_activity_quick_update=True).create(
                [
                    {"res_model_id": model_id, "res_id": pid, "activity_type_id": todo, "user_id": env.uid}
                    for pid in partner_ids
                ]
            )
            env.flush_all()
            baseline.append(time.perf_counter() - start)
            savepoint.rollback()
        env.invalidate_all()
    # The next day: the first run done, one more day of documents enters the window.
    Document._cron_notify_expiring()
    env.flush_all()
    env.cr.execute(
        "UPDATE res_partner_customer_document SET expiry_date = %s WHERE id IN "
        "(SELECT id FROM res_partner_customer_document WHERE NOT expiry_notified LIMIT 91)",
        [limit],
    )
    env.invalidate_all()
    daily = []
    for _run in range(3):
        with env.cr.savepoint(flush=False) as savepoint:
            start = time.perf_counter()
            Document._cron_notify_expiring()
            env.flush_all()
            daily.append(time.perf_counter() - start)
            savepoint.rollback()
        env.invalidate_all()
    first_s, baseline_s = statistics.median(first), statistics.median(baseline)
    report(
        f"Customer documents' expiry cron: {DOCUMENTS:,} documents, {DOCUMENT_CUSTOMERS} customers (median of 3)",
        [
            ("first run", f"{first_s:.2f} s, {created:,} activities"),
            ("  baseline: mail.activity create, same activities", f"{baseline_s:.2f} s"),
            ("  ratio to baseline", f"{first_s / baseline_s:.2f}"),
            ("next day's run (91 documents enter the window)", f"{statistics.median(daily) * 1000:.0f} ms"),
        ],
    )


def main():
    with odoo_env(context={"tracking_disable": True, "mail_notrack": True}) as env:
        measure_expiry_cron(env.registry)
        customer, _contact = make_customer(env, 94_000_001)
        big = make_file(env, customer, LINES, CONTAINERS)
        small = make_file(env, customer, 20, 4)
        product = env["product.product"].create({"name": "Bench", "list_price": 10})
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10 + i})
                    for i in range(LINES)
                ],
            }
        )
        env.flush_all()
        spec = form_spec(env, "customs.file")
        order_spec = form_spec(env, "sale.order")
        file_ms, file_queries = measure_read(env, big, spec)
        small_ms, small_queries = measure_read(env, small, spec)
        order_ms, order_queries = measure_read(env, order, order_spec)
        line = big.goods_line_ids[100]
        recompute_ms = measure_change(env, lambda i: line.write({"fob_amount": 500.0 + i}))
        order_line = order.order_line[100]
        order_recompute_ms = measure_change(env, lambda i: order_line.write({"price_unit": 50.0 + i}))
        assert big.tax_total > 0 and len(big.goods_line_ids) == LINES and len(big.container_ids) == CONTAINERS
        report(
            f"Customs declaration: {LINES} goods lines, {CONTAINERS} containers (median of {RUNS})",
            [
                ("form load (web_read, cold cache)", f"{file_ms:.1f} ms, queries {file_queries}"),
                ("  same form, 20 lines / 4 containers", f"{small_ms:.1f} ms, queries {small_queries}"),
                ("  baseline: sale order, 200 lines", f"{order_ms:.1f} ms, queries {order_queries}"),
                ("  ratio to baseline", f"{file_ms / order_ms:.2f}"),
                ("taxes recomputed after one line change", f"{recompute_ms:.1f} ms"),
                ("  baseline: sale order amounts, one line", f"{order_recompute_ms:.1f} ms"),
                ("  ratio to baseline", f"{recompute_ms / order_recompute_ms:.2f}"),
            ],
        )
        assert file_queries == small_queries, "the form's queries grow with the lines"


if __name__ == "__main__":
    main()
