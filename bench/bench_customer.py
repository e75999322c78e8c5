"""Issue 3 benchmark.

1. 10,000 registered customers in one create call with every rule (document
   check and normalisation, required data, e-mail and notification lists,
   duplicate pre-check, unique indexes, permissions) against plain
   res.partner.create of the same rows, measured in the same run, runs
   interleaved and the best of each kept.
2. 100,000 registered customers, then the searches users and the rules make:
   by document number and by e-mail (exact, as the duplicate check and RPC
   clients do; and the list's search box, ilike), each search-box search next
   to plain Odoo's same search on 100,000 ordinary partners (no partial
   trigram index helps them) measured in the same run. EXPLAIN ANALYZE printed.

Everything is rolled back (savepoints, then the harness's final rollback).
"""

import statistics
import time

from harness import odoo_env, report
from stdnum.pe import ruc as pe_ruc

from odoo.tools import SQL

ROWS = 10_000
BIG = 100_000
REPEAT = 2
SEARCH_RUNS = 30


def _ruc(n):
    body = f"20{n:08d}"
    return body + pe_ruc.calc_check_digit(body)


def rows(env, offset, registered, count=ROWS):
    type_ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").id
    pe = env.ref("base.pe").id
    lima = env.ref("base.state_pe_15").id
    vals = []
    for i in range(offset, offset + count):
        row = {
            "name": f"Cliente Benchmark {i} S.A.C.",
            "l10n_latam_identification_type_id": type_ruc,
            "vat": _ruc(i),
            "street": f"Av. Principal {i}",
            "city": "Lima",
            "state_id": lima,
            "country_id": pe,
            "email": f"cliente{i}@bench.example.pe",
            "phone": f"+51 1 {i:07d}",
            "is_company": True,
            "notification_emails": f"ops{i}@bench.example.pe",
        }
        if registered:
            row["is_registered_customer"] = True
        vals.append(row)
    return vals


def timed_create(env, vals):
    env.cr.execute("SAVEPOINT bench")
    start = time.perf_counter()
    env["res.partner"].create(vals)
    env.flush_all()
    elapsed = time.perf_counter() - start
    env.cr.execute("ROLLBACK TO SAVEPOINT bench")
    env.invalidate_all()
    return elapsed


def bench_create(env):
    # Warm-up: registry caches, the first INSERTs.
    timed_create(env, rows(env, 900_000, False, 300))
    timed_create(env, rows(env, 900_000, True, 300))
    plain, registered = [], []
    for _i in range(REPEAT):
        plain.append(timed_create(env, rows(env, 0, False)))
        registered.append(timed_create(env, rows(env, 0, True)))
    best_plain, best_registered = min(plain), min(registered)
    report(
        f"create {ROWS} partners in one call (best of {REPEAT}, interleaved)",
        [
            ("plain res.partner.create", f"{best_plain:.2f} s ({ROWS / best_plain:.0f} rows/s)"),
            ("registered customers, all rules", f"{best_registered:.2f} s ({ROWS / best_registered:.0f} rows/s)"),
            ("ratio (target <= 1.3)", f"{best_registered / best_plain:.2f}x"),
            ("all runs plain / registered", f"{plain} / {registered}"),
        ],
    )


def load_big(env):
    """100,000 registered customers inserted in bulk: the data, not the
    create path, is what the search part measures. Plus as many ordinary
    partners of the same shape (e-mail domain big.example.hn): plain Odoo's
    search, measured on them in the same run, is the baseline."""
    type_ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").id
    env.cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, vat, l10n_latam_identification_type_id, email,
                                 email_normalized, phone, is_registered_customer, customer_state, active, type,
                                 is_company, autopost_bills, create_date, write_date,
                                 customer_email_key, customer_vat_key)
        SELECT 'Cliente ' || g || ' S.A.C.', 'Cliente ' || g || ' S.A.C.', '3' || lpad(g::text, 10, '0'), %s,
               'c' || g || '@big.example.pe', 'c' || g || '@big.example.pe', '+51 1 ' || lpad(g::text, 7, '0'),
               true, 'active', true, 'contact', true, 'ask', now(), now(),
               'c' || g || '@big.example.pe', '3' || lpad(g::text, 10, '0')
          FROM generate_series(1, %s) g
        """,
        [type_ruc, BIG],
    )
    env.cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, vat, email, email_normalized, phone,
                                 is_registered_customer, customer_state, active, type, is_company, autopost_bills,
                                 create_date, write_date)
        SELECT 'Cliente ' || g || ' S.A.C.', 'Cliente ' || g || ' S.A.C.', '4' || lpad(g::text, 10, '0'),
               'c' || g || '@big.example.hn', 'c' || g || '@big.example.hn', '+51 1 ' || lpad(g::text, 7, '0'),
               false, 'active', true, 'contact', true, 'ask', now(), now()
          FROM generate_series(1, %s) g
        """,
        [BIG],
    )
    env.cr.execute("ANALYZE res_partner")
    env.invalidate_all()


def explain(env, sql):
    env.cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) %s", sql))
    return [row[0] for row in env.cr.fetchall()]


def bench_search(env):
    load_big(env)
    Partner = env["res.partner"]
    base = [("is_registered_customer", "=", True)]  # the Clientes action's domain
    text = "50000"
    plain = [("is_registered_customer", "=", False)]  # 100,000 ordinary partners, Odoo's own indexes only
    free_text = ["|", "|", ("complete_name", "ilike", text), ("vat", "ilike", text), ("email", "ilike", text)]
    # (label, our domain, plain Odoo's same search or None)
    probes = [
        ("document number, exact (RPC, import)", base + [("vat", "=", "30000050000")], None),
        ("e-mail, exact (email_normalized)", base + [("email_normalized", "=", "c50000@big.example.pe")], None),
        ("search box: Document Number", base + [("vat", "ilike", text)], plain + [("vat", "ilike", text)]),
        ("search box: E-mail", base + [("email", "ilike", "c50000@big")], plain + [("email", "ilike", "c50000@big")]),
        ("search box: free text (name, document, e-mail)", base + free_text, plain + free_text),
    ]

    def median_ms(domain):
        Partner.search(domain, limit=80)  # warm
        timings = []
        for _i in range(SEARCH_RUNS):
            start = time.perf_counter()
            found = Partner.search(domain, limit=80)
            timings.append((time.perf_counter() - start) * 1000)
        return statistics.median(timings), max(timings), len(found)

    out = []
    plans = []
    for label, domain, plain_domain in probes:
        median, worst, found = median_ms(domain)
        plan = explain(env, Partner._search(domain, limit=80).select())
        uses_index = any("Index" in line for line in plan)
        figures = (
            f"{median:.2f} ms median, {worst:.2f} ms max, {found} found, "
            f"index: {'yes' if uses_index else 'NO'} (target < 20 ms)"
        )
        if plain_domain:
            plain_median, _worst, _found = median_ms(plain_domain)
            figures += f"; plain Odoo {plain_median:.2f} ms -> {plain_median / median:.1f}x faster"
        out.append((label, figures))
        plans.append((label, plan))
    # Plain Odoo's many2one search (name_search) on the same ordinary partners.
    start = time.perf_counter()
    for _i in range(SEARCH_RUNS):
        Partner.name_search(text, args=plain, limit=8)
    name_search_ms = (time.perf_counter() - start) * 1000 / SEARCH_RUNS
    out.append(("plain Odoo name_search (ordinary partners)", f"{name_search_ms:.2f} ms mean"))

    # The duplicate check of create/import/lookup: one query per batch.
    vals_list = [{"email": f"C{i}@big.example.pe", "vat": "30" + f"{i:09d}"} for i in range(1, 1001)]
    start = time.perf_counter()
    matches = Partner._find_duplicate_customers(vals_list)
    elapsed = (time.perf_counter() - start) * 1000
    out.append(
        (
            "duplicate check, 1,000 rows in one query",
            f"{elapsed:.2f} ms, {sum(1 for m in matches if m)} found",
        )
    )
    query = Partner._match_registered_customers_query(
        [v["email"].lower() for v in vals_list], [v["vat"] for v in vals_list]
    )
    plans.append(("duplicate check", explain(env, query)))
    report(f"search among {BIG} registered customers (list action domain, limit 80)", out)
    for label, plan in plans:
        print(f"\n  EXPLAIN {label}:")
        for line in plan:
            print(f"    {line[:160]}{' ...' if len(line) > 160 else ''}")


def main():
    with odoo_env() as env:
        bench_create(env)
        bench_search(env)


if __name__ == "__main__":
    main()
