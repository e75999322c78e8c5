"""Issue 3 benchmark: registering 10,000 customers in one create call with
all validations, against plain res.partner.create of the same rows; and
searching by document number / e-mail among 100,000 customers.

Figures are ratios against a baseline measured in the same run.
"""

import time

from harness import odoo_env, report
from stdnum.pe import ruc as pe_ruc

ROWS = 10_000
BIG = 100_000


def _ruc(n):
    body = f"20{n:08d}"
    return body + pe_ruc.calc_check_digit(body)


def rows(env, offset, registered):
    type_ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").id
    pe = env.ref("base.pe").id
    lima = env.ref("base.state_pe_15").id
    vals = []
    for i in range(offset, offset + ROWS):
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
        }
        if registered:
            row.update(is_registered_customer=True, notification_emails=f"ops{i}@bench.example.pe")
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


def main():
    with odoo_env() as env:
        # Warm-up so both runs see the same caches.
        timed_create(env, rows(env, 900_000, False)[:200])
        plain = timed_create(env, rows(env, 0, False))
        registered = timed_create(env, rows(env, 0, True))
        plain_2 = timed_create(env, rows(env, 0, False))
        baseline = min(plain, plain_2)
        report(
            f"create {ROWS} partners in one call",
            [
                ("plain res.partner.create", f"{baseline:.2f} s ({ROWS / baseline:.0f} rows/s)"),
                ("registered customers, all rules", f"{registered:.2f} s ({ROWS / registered:.0f} rows/s)"),
                ("ratio (target <= 1.3)", f"{registered / baseline:.2f}x"),
            ],
        )

        # 100,000 registered customers, inserted in bulk (the data, not the
        # code path, is what this part measures).
        type_ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc").id
        env.cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, vat, l10n_latam_identification_type_id, email,
                                     email_normalized, is_registered_customer, customer_state, active, type,
                                     is_company, autopost_bills, create_date, write_date)
            SELECT 'Cliente ' || g, 'Cliente ' || g, '3' || lpad(g::text, 10, '0'), %s, 'c' || g || '@big.example.pe',
                   'c' || g || '@big.example.pe', true, 'active', true, 'contact', true, 'ask', now(), now()
              FROM generate_series(1, %s) g
            """,
            [type_ruc, BIG],
        )
        env.cr.execute("ANALYZE res_partner")
        Partner = env["res.partner"]
        probes = [
            ("search by document number", [("vat", "=", "30000050000")]),
            ("search by e-mail", [("email_normalized", "=", "c50000@big.example.pe")]),
        ]
        out = []
        for label, domain in probes:
            Partner.search(domain)  # warm
            start = time.perf_counter()
            for _i in range(20):
                found = Partner.search(domain)
            elapsed = (time.perf_counter() - start) / 20 * 1000
            query = Partner._search(domain)
            sql = query.select()
            env.cr.execute(SQL_EXPLAIN(sql))
            plan = " / ".join(row[0].strip() for row in env.cr.fetchall()[:2])
            out.append((label, f"{elapsed:.2f} ms, {len(found)} found (target < 20 ms); plan: {plan}"))
        env.cr.execute(
            "EXPLAIN SELECT id FROM res_partner WHERE is_registered_customer AND lower(btrim(email)) = %s",
            ["c50000@big.example.pe"],
        )
        out.append(("duplicate check (unique index)", env.cr.fetchone()[0].strip()))
        report(f"search among {BIG} registered customers", out)


def SQL_EXPLAIN(sql):
    from odoo.tools import SQL

    return SQL("EXPLAIN %s", sql)


if __name__ == "__main__":
    main()
