"""Detracción (SPOT) benchmark.

1. Invoicing 1,000 customers' invoices subject to detracción (create + post,
   one S/ 11,800 consulting line each, customers that request detracción)
   with the addon's computation, against the very same invoicing with the
   addon's two computes replaced by no-ops, in the same run and transaction
   (the ratio is the addon's cost on Odoo's invoicing path). Rounds
   alternate to spread the machine's noise.
2. The *Detracciones* list (the action's list view, default filter
   "pending", first page and count) over 100,000 invoices, read by an
   accountant through web_search_read as the web client does.

A Peruvian company (PEN, generic chart) is created inside the transaction;
everything is rolled back at the end.
"""

import statistics
import time

from bench_history import make_customer
from harness import odoo_env, report

from odoo import Command
from odoo.tools.safe_eval import safe_eval

INVOICES = 1_000
ROUNDS = 2
LIST_ROWS = 100_000
RUNS = 15


def make_company(env):
    # chart_template_load: no automatic install of l10n_pe for a Peruvian
    # company (it would reload the registry in the middle of the benchmark).
    company = (
        env["res.company"]
        .with_context(chart_template_load=True)
        .create(
            {
                "name": "Bench Detracción S.A.C.",
                "country_id": env.ref("base.pe").id,
                "currency_id": env.ref("base.PEN").id,
            }
        )
    )
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    company.detraction_account_number = "00-068-999999"
    env.user.company_ids |= company
    env.user.company_id = company
    return company


def invoice_vals(customers, product, tax, count):
    return [
        {
            "move_type": "out_invoice",
            "partner_id": customers[i % len(customers)].id,
            "invoice_date": f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}",
            "invoice_line_ids": [
                Command.create({"product_id": product.id, "price_unit": 10_000, "tax_ids": [Command.set(tax.ids)]})
            ],
        }
        for i in range(count)
    ]


def invoicing(env, vals):
    start = time.perf_counter()
    moves = env["account.move"].create(vals)
    moves.action_post()
    env.flush_all()
    return time.perf_counter() - start, moves


def without_detraction(env):
    """Context manager: the addon's computes as no-ops (the baseline)."""
    Move = type(env["account.move"])
    empty = {
        "detraction_applies": False,
        "detraction_code_id": False,
        "detraction_rate": 0.0,
        "detraction_currency_id": False,
        "detraction_amount": 0.0,
        "detraction_net_amount": 0.0,
        "detraction_note": False,
    }

    class Patch:
        def __enter__(self):
            self.saved = (Move._compute_detraction, Move._compute_detraction_state)
            Move._compute_detraction = lambda self: self.update(empty)
            Move._compute_detraction_state = lambda self: self.update(
                {"detraction_state": False, "detraction_due_date": False}
            )

        def __exit__(self, *exc):
            Move._compute_detraction, Move._compute_detraction_state = self.saved

    return Patch()


def bench_posting(env, company):
    tax = env["account.tax"].create(
        {"name": "IGV 18 %", "amount": 18, "type_tax_use": "sale", "company_id": company.id}
    )
    code = env.ref("clientes_aduanas_detraccion.detraction_code_022")
    product = env["product.product"].create({"name": "Consultoría", "detraction_code_id": code.id})
    customers = []
    for i in range(10):
        customer, _contact = make_customer(env, 94_000_001 + i)
        customer.detraction_required = True
        customers.append(customer)
    invoicing(env, invoice_vals(customers, product, tax, 50))  # warm-up
    with_addon, baseline = [], []
    for _round in range(ROUNDS):
        seconds, moves = invoicing(env, invoice_vals(customers, product, tax, INVOICES))
        with_addon.append(seconds)
        assert all(moves.mapped("detraction_applies")), "every invoice is subject to detracción"
        with without_detraction(env):
            seconds, moves = invoicing(env, invoice_vals(customers, product, tax, INVOICES))
        baseline.append(seconds)
        assert not any(moves.mapped("detraction_applies"))
    return customers, min(with_addon), min(baseline)


def fill_list(env, customers):
    """100,000 posted invoices: 1,000 through the ORM (those of the posting
    benchmark), the rest copied in SQL with their detracción (a list does not
    read invoice lines); a third deposited."""
    env.flush_all()
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'account_move' AND column_name <> 'id'"
    )
    columns = [row[0] for row in env.cr.fetchall()]
    select = [
        "m.name || '-' || g" if c == "name" else ("NULL" if c in ("sequence_number", "access_token") else f"m.{c}")
        for c in columns
    ]
    seeds = env["account.move"].search(
        [("detraction_state", "=", "pending"), ("company_id", "=", env.company.id)], limit=1_000
    )
    copies = LIST_ROWS // len(seeds)
    env.cr.execute(
        f"INSERT INTO account_move ({', '.join(columns)}) SELECT {', '.join(select)}"
        " FROM account_move m, generate_series(1, %s) g WHERE m.id IN %s",
        [copies - 1, tuple(seeds.ids)],
    )
    env.cr.execute(
        "UPDATE account_move SET detraction_state = 'deposited', detraction_deposit_number = id::text"
        " WHERE company_id = %s AND detraction_state = 'pending' AND id %% 3 = 0",
        [env.company.id],
    )
    env.cr.execute("ANALYZE account_move")
    env.invalidate_all()
    return env["account.move"].search_count([("detraction_state", "!=", False)])


def bench_list(env):
    accountant = env["res.users"].create(
        {
            "name": "Bench Contador",
            "login": "bench_detraccion",
            "company_id": env.company.id,
            "company_ids": [Command.set(env.company.ids)],
            "groups_id": [Command.set([env.ref("account.group_account_invoice").id])],
        }
    )
    action = env["ir.actions.act_window"]._for_xml_id("clientes_aduanas_detraccion.account_move_detraction_action")
    Move = env["account.move"].with_user(accountant).with_context(allowed_company_ids=env.company.ids)
    view = Move.get_views([(env.ref("clientes_aduanas_detraccion.account_move_view_list_detraction").id, "list")])
    fields = view["models"]["account.move"]["fields"]
    spec = {name: {"fields": {"display_name": {}}} if fields[name]["type"] == "many2one" else {} for name in fields}
    domain = safe_eval(action["domain"]) + [("detraction_state", "=", "pending")]
    timings = []
    for _run in range(RUNS):
        env.invalidate_all()
        start = time.perf_counter()
        result = Move.web_search_read(domain, spec, limit=80, count_limit=10_001)
        timings.append(time.perf_counter() - start)
    return result["length"], statistics.median(timings), max(timings)


def main():
    with odoo_env() as env:
        company = make_company(env)
        env = env(context=dict(env.context, allowed_company_ids=company.ids))
        customers, with_addon, baseline = bench_posting(env, company)
        rows = fill_list(env, customers)
        length, median, worst = bench_list(env)
    report(
        "Detracción: invoicing (create + post) 1,000 invoices of customers that request it",
        [
            ("with the addon's computation", f"{with_addon:.2f} s"),
            ("same, computation off (baseline)", f"{baseline:.2f} s"),
            ("ratio (bar < 1.15)", f"{with_addon / baseline:.3f}"),
        ],
    )
    report(
        f"Detracciones list over {rows:,} invoices (pending filter, first page + count, accountant)",
        [
            ("pending invoices counted", f"{length:,}"),
            ("median web_search_read", f"{median * 1000:.0f} ms"),
            ("worst of 15", f"{worst * 1000:.0f} ms"),
            ("bar", "< 200 ms"),
        ],
    )


if __name__ == "__main__":
    main()
