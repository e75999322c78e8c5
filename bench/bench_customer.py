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

Each figure is the median of harness.RUNS runs (3) with its spread, the
baseline interleaved in the same runs. The partner table is vacuumed first:
earlier runs leave 200,000 rolled-back rows whose index entries every search
would otherwise visit (autovacuum does the same in production).

Everything is rolled back (savepoints, then the harness's final rollback).
"""

import os
import statistics
import time

from harness import RUNS, odoo_env, ratio, report, spread, vacuum
from stdnum.pe import ruc as pe_ruc

from odoo.tools import SQL

ROWS = 10_000
BIG = 100_000
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
    for _i in range(RUNS):
        plain.append(timed_create(env, rows(env, 0, False)))
        registered.append(timed_create(env, rows(env, 0, True)))
    report(
        f"create {ROWS} partners in one call (median of {RUNS} interleaved runs, lowest-highest)",
        [
            ("plain res.partner.create", spread(plain, "s")),
            ("registered customers, all rules", spread(registered, "s")),
            ("ratio (target <= 1.3)", f"{ratio(registered, plain):.2f}x (median of the per-run ratios)"),
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


def _backend_pid(env):
    """The PostgreSQL backend's pid when the server runs on this machine
    (its CPU time is then readable in /proc), else None."""
    env.cr.execute("SELECT pg_backend_pid()")
    pid = env.cr.fetchone()[0]
    return pid if os.access(f"/proc/{pid}/stat", os.R_OK) else None


def _cpu_seconds(pid):
    """User + system CPU seconds of a process: unlike wall time, hardly
    changed by other processes competing for the cores."""
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_figure(samples):
    odoo_ms = statistics.median(s[0] for s in samples)
    pg_ms = statistics.median(s[1] for s in samples)
    return f"{odoo_ms + pg_ms:.2f} ms (Odoo {odoo_ms:.2f} + PostgreSQL {pg_ms:.2f})"


def explain(env, sql):
    env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) %s", sql))
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

    backend = _backend_pid(env)
    cpu = {}

    def median_ms(domain, label):
        """One run: the median of SEARCH_RUNS searches, warm; and the CPU
        time they took in this process and in PostgreSQL, per search."""
        Partner.search(domain, limit=80)
        timings = []
        cpu_before = time.process_time(), _cpu_seconds(backend)
        for _i in range(SEARCH_RUNS):
            start = time.perf_counter()
            Partner.search(domain, limit=80)
            timings.append((time.perf_counter() - start) * 1000)
        odoo_cpu = (time.process_time() - cpu_before[0]) * 1000 / SEARCH_RUNS
        pg_cpu = (_cpu_seconds(backend) - cpu_before[1]) * 1000 / SEARCH_RUNS if backend else 0.0
        cpu.setdefault(label, []).append((odoo_cpu, pg_cpu))
        return statistics.median(timings)

    ours, theirs = {}, {}
    for _run in range(RUNS):  # interleaved: each probe and its baseline, run after run
        for label, domain, plain_domain in probes:
            ours.setdefault(label, []).append(median_ms(domain, label))
            if plain_domain:
                theirs.setdefault(label, []).append(median_ms(plain_domain, "plain " + label))
    out = []
    plans = []
    for label, domain, plain_domain in probes:
        found = Partner.search_count(domain)
        plan = explain(env, Partner._search(domain, limit=80).select())
        uses_index = any("Index" in line for line in plan)
        figures = f"{spread(ours[label], 'ms')}, {found} found, index: {'yes' if uses_index else 'NO'} (target < 5 ms)"
        if plain_domain:
            figures += (
                f"; plain Odoo {spread(theirs[label], 'ms')} -> "
                f"{ratio(theirs[label], ours[label]):.1f}x faster (median of the per-run ratios)"
            )
        if backend:
            figures += "; CPU per search " + _cpu_figure(cpu[label])
            if plain_domain:
                figures += ", plain Odoo " + _cpu_figure(cpu["plain " + label])
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
    report(f"search among {BIG} registered customers (list action domain, limit 80, median of {RUNS} runs)", out)
    for label, plan in plans:
        print(f"\n  EXPLAIN {label}:")
        for line in plan:
            print(f"    {line[:160]}{' ...' if len(line) > 160 else ''}")


def main():
    if not os.environ.get("BENCH_CUSTOMER_SEARCH_ONLY"):
        vacuum("res_partner")
        with odoo_env() as env:
            bench_create(env)
    # Again: the creates above were rolled back, their rows are dead tuples.
    vacuum("res_partner")
    with odoo_env() as env:
        bench_search(env)


if __name__ == "__main__":
    main()
