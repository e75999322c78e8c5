"""Issue 4 benchmark: a customer with 5,000 invoices, 2,000 quotations and
1,000 customs files (plus 1,000 payments). Opening its form (every field of
the customer form, all the counts and the first page of the history tab) and
the first page of its operations history, compared with a customer that has
10 documents.

The documents are created through the ORM in batches, tracking disabled
(a tenth addressed to a contact of the customer, so that folding contacts
into the customer is exercised); part of them is confirmed, posted or
cancelled so that every state shows up. The reads run as the administrator
(not the superuser), so record rules and the history's per-user union are
in the measured path. Everything is rolled back at the end.
"""

import statistics
import time

from harness import odoo_env, report

from odoo import Command

INVOICES, QUOTATIONS, FILES, PAYMENTS = 5_000, 2_000, 1_000, 1_000
BATCH = 500
RUNS = 15


def make_customer(env, suffix):
    from stdnum.pe import ruc

    type_ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc")
    body = f"20{suffix:08d}"
    customer = env["res.partner"].create(
        {
            "name": f"Cliente Historial {suffix}",
            "is_registered_customer": True,
            "l10n_latam_identification_type_id": type_ruc.id,
            "vat": body + ruc.calc_check_digit(body),
            "street": "Av. Historia 1",
            "city": "Lima",
            "state_id": env.ref("base.state_pe_15").id,
            "country_id": env.ref("base.pe").id,
            "email": f"historial{suffix}@bench.example.pe",
            "phone": "+51 1 1234567",
        }
    )
    contact = env["res.partner"].create(
        {"name": f"Operaciones {suffix}", "parent_id": customer.id, "is_operations_contact": True}
    )
    return customer, contact


def batches(total):
    for start in range(0, total, BATCH):
        yield range(start, min(start + BATCH, total))


def fill(env, customer, contact, invoices, quotations, files, payments, verbose=False):
    """Create the documents; return the time it took."""
    start = time.perf_counter()
    product = env["product.product"].create({"name": "Agenciamiento de aduanas", "list_price": 350})

    def stage(label):
        if verbose:
            print(f"  {time.perf_counter() - start:6.1f} s  {label}", flush=True)

    def analyze():
        # Rows created in this transaction are invisible to autovacuum: without
        # fresh statistics the planner of account's payment-state query takes
        # these tables for empty and nests loops over them (minutes per batch).
        env.flush_all()
        env.cr.execute(
            "ANALYZE account_move; ANALYZE account_move_line; ANALYZE account_partial_reconcile;"
            " ANALYZE account_payment; ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE customs_file"
        )

    def addressee(i):
        return contact.id if i % 10 == 0 else customer.id

    for chunk in batches(files):
        env["customs.file"].create(
            [
                {
                    "partner_id": addressee(i),
                    "operation_type": "import" if i % 2 else "export",
                    "declaration_number": f"118-2026-10-{i:06d}",
                    "declared_value": 1000 + i,
                }
                for i in chunk
            ]
        )
    # States spread in bulk: the workflow (and its e-mails) is not what is measured.
    env.flush_all()
    env.cr.execute(
        "UPDATE customs_file SET state = (ARRAY['draft', 'in_progress', 'released', 'closed'])[1 + id %% 4]"
        " WHERE commercial_partner_id = %s",
        [customer.id],
    )
    env.invalidate_all()
    stage("customs files")
    for chunk in batches(quotations):
        analyze()
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": addressee(i),
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1 + i % 3})],
                }
                for i in chunk
            ]
        )
        orders.filtered(lambda o: o.id % 4 == 0).action_confirm()
        orders.filtered(lambda o: o.id % 4 == 1).action_cancel()
    stage("quotations")
    moves = env["account.move"]
    for chunk in batches(invoices):
        analyze()
        moves |= env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": addressee(i),
                    "invoice_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 100 + i % 500, "tax_ids": []})
                    ],
                }
                for i in chunk
            ]
        )
    analyze()
    stage("invoices created")
    # Four invoices in five are posted (the others stay drafts), in batches.
    to_post = moves.filtered(lambda m: m.id % 5 != 0)
    for start_at in range(0, len(to_post), BATCH):
        to_post[start_at : start_at + BATCH].action_post()
        analyze()
    stage("invoices posted")
    payments_created = env["account.payment"]
    for chunk in batches(payments):
        payments_created |= env["account.payment"].create(
            [
                {
                    "partner_id": addressee(i),
                    "partner_type": "customer",
                    "payment_type": "inbound",
                    "amount": 100 + i,
                    "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                }
                for i in chunk
            ]
        )
    analyze()
    # Half of the payments confirmed, the others stay drafts.
    payments_created.filtered(lambda p: p.id % 2 == 0).action_post()
    stage("payments")
    env.flush_all()
    return time.perf_counter() - start


def form_specification(env):
    """What the web client asks when it opens the customer form: every field
    of the form view (inherited views included), many2one names, x2many
    sub-lists with the fields of their embedded list (first page)."""
    from lxml import etree

    view = env.ref("clientes_aduanas.res_partner_view_form_customer")
    arch = etree.fromstring(env["res.partner"].get_views([(view.id, "form")])["views"]["form"]["arch"])

    def spec_for(model, node):
        spec = {}
        for field_node in node.iter("field"):
            # Only this level: fields of embedded sub-views belong to the x2many.
            if any(parent.tag == "field" for parent in field_node.iterancestors() if parent is not node):
                continue
            if field_node is node:
                continue
            name = field_node.get("name")
            field = env[model]._fields[name]
            if field.type == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                sub = field_node.find("list")
                sub_spec = spec_for(field.comodel_name, sub) if sub is not None else {"display_name": {}}
                limit = int(sub.get("limit", 40)) if sub is not None else None
                spec[name] = {"fields": sub_spec, **({"limit": limit} if limit else {})}
            else:
                spec[name] = {}
        return spec

    return spec_for("res.partner", arch)


def measure(env, call):
    """Median server time (ms) of ``call`` with a cold record cache, and its
    number of queries."""
    call()  # warm the registry caches (access rights, rules, views)
    times, queries = [], set()
    for _i in range(RUNS):
        env.invalidate_all()
        q0 = env.cr.sql_log_count
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        queries.add(env.cr.sql_log_count - q0)
    return statistics.median(times), sorted(queries)


def main():
    with odoo_env(context={"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}) as env:
        busy, busy_contact = make_customer(env, 91_000_001)
        small, small_contact = make_customer(env, 91_000_002)
        print("creating the documents...", flush=True)
        created = fill(env, busy, busy_contact, INVOICES, QUOTATIONS, FILES, PAYMENTS, verbose=True)
        fill(env, small, small_contact, 4, 3, 2, 1)
        env.cr.execute("ANALYZE account_move; ANALYZE sale_order; ANALYZE customs_file; ANALYZE account_payment")

        admin = env(user=env.ref("base.user_admin"))
        spec = form_specification(admin)
        History = admin["customs.operation.history"]
        history_spec = {
            name: {}
            for name in (
                "date",
                "kind",
                "reference",
                "operation_type",
                "file_state",
                "quotation_state",
                "payment_state",
                "amount",
            )
        }
        history_spec["currency_id"] = {"fields": {"display_name": {}}}

        figures = {}
        for label, customer in (("busy", busy), ("small", small)):
            partner = customer.with_env(admin)
            figures[label, "form"] = measure(admin, lambda p=partner: p.web_read(spec))
            domain = [("commercial_partner_id", "=", customer.id)]
            figures[label, "history"] = measure(
                admin,
                lambda d=domain: History.web_search_read(d, history_spec, limit=80, count_limit=10001),
            )
            figures[label, "filtered"] = measure(
                admin,
                lambda d=domain: History.web_search_read(
                    [*d, ("kind", "=", "invoice"), ("payment_state", "=", "not_paid"), ("date", ">=", "2026-06-01")],
                    history_spec,
                    limit=80,
                    count_limit=10001,
                ),
            )
        data = busy.with_env(admin).web_read(spec)[0]
        page = History.web_search_read(
            [("commercial_partner_id", "=", busy.id)], history_spec, limit=80, count_limit=10001
        )

        def row(label, key, target):
            (ms, queries), (small_ms, small_queries) = figures["busy", key], figures["small", key]
            return (
                label,
                f"{ms:6.1f} ms, {'/'.join(map(str, queries))} queries{target}  |  10 documents: "
                f"{small_ms:5.1f} ms, {'/'.join(map(str, small_queries))} queries",
            )

        report(
            f"customer with {INVOICES} invoices, {QUOTATIONS} quotations, {FILES} customs files, {PAYMENTS} payments",
            [
                ("documents created (ORM, batches)", f"{created:.0f} s"),
                (
                    "counts on the form",
                    f"files {data['customs_file_count']}, quotations {data['sale_order_count']}, "
                    f"invoices {data['customer_invoice_count']}, payments {data['customer_payment_count']}",
                ),
                ("history rows (count)", f"{page['length']}"),
                ("fields read by the form", f"{len(spec)}"),
                row("open form (web_read), median", "form", " (target < 100 ms)"),
                row("history first page (80 rows)", "history", " (target < 200 ms)"),
                row("history, filtered (invoices unpaid)", "filtered", ""),
            ],
        )


if __name__ == "__main__":
    main()
