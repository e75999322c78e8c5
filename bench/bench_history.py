"""Issue 4 benchmark: a customer with 5,000 invoices, 2,000 quotations and
1,000 customs files. Opening its form (every count) and the first page of its
operations history, compared with a customer that has 10 documents.

The documents are inserted in bulk with SQL: what is measured is reading
them back through the ORM, as the web client does.
"""

import time

from harness import odoo_env, report

INVOICES, QUOTATIONS, FILES = 5_000, 2_000, 1_000

FORM_SPEC = {
    "name": {},
    "vat": {},
    "customer_state": {},
    "customs_file_count": {},
    "sale_order_count": {},
    "customer_invoice_count": {},
    "customer_payment_count": {},
    # The "Historial de operaciones" tab, first page as the web client asks it.
    "operation_history_ids": {
        "fields": {"date": {}, "kind": {}, "reference": {}, "payment_state": {}, "amount": {}},
        "limit": 20,
    },
}


def make_customer(env, suffix):
    type_ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc")
    from stdnum.pe import ruc

    body = f"20{suffix:08d}"
    return env["res.partner"].create(
        {
            "name": f"Cliente Historial {suffix}",
            "is_registered_customer": True,
            "l10n_latam_identification_type_id": type_ruc.id,
            "vat": body + ruc.calc_check_digit(body),
            "street": "Av. Historia 1",
            "country_id": env.ref("base.pe").id,
            "email": f"historial{suffix}@bench.example.pe",
            "phone": "+51 1 1234567",
        }
    )


def fill(env, partner, invoices, quotations, files):
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    cr = env.cr
    cr.execute(
        """INSERT INTO account_move (move_type, partner_id, commercial_partner_id, company_id, journal_id,
                                     currency_id, state, date, invoice_date, name, amount_total, payment_state,
                                     auto_post, create_date, write_date)
           SELECT 'out_invoice', %(p)s, %(p)s, %(c)s, %(j)s, %(cur)s, 'posted', current_date - (g %% 700),
                  current_date - (g %% 700), 'BENCH/' || %(p)s || '/' || g, 100 + g,
                  CASE WHEN g %% 3 = 0 THEN 'paid' ELSE 'not_paid' END, 'no', now(), now()
             FROM generate_series(1, %(n)s) g""",
        {"p": partner.id, "c": company.id, "j": journal.id, "cur": company.currency_id.id, "n": invoices},
    )
    cr.execute(
        """INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, state,
                                   date_order, currency_id, amount_total, create_date, write_date)
           SELECT 'SB' || %(p)s || '/' || g, %(p)s, %(p)s, %(p)s, %(c)s,
                  (ARRAY['draft', 'sent', 'sale', 'cancel'])[1 + g %% 4], now() - (g %% 700) * interval '1 day',
                  %(cur)s, 50 + g, now(), now()
             FROM generate_series(1, %(n)s) g""",
        {"p": partner.id, "c": company.id, "cur": company.currency_id.id, "n": quotations},
    )
    cr.execute(
        """INSERT INTO customs_file (name, company_id, partner_id, commercial_partner_id, operation_type, state,
                                     opening_date, currency_id, declared_value, create_date, write_date)
           SELECT 'EXPB/' || %(p)s || '/' || g, %(c)s, %(p)s, %(p)s,
                  CASE WHEN g %% 2 = 0 THEN 'import' ELSE 'export' END,
                  (ARRAY['draft', 'in_progress', 'released', 'closed'])[1 + g %% 4], current_date - (g %% 700),
                  %(cur)s, 1000 + g, now(), now()
             FROM generate_series(1, %(n)s) g""",
        {"p": partner.id, "c": company.id, "cur": company.currency_id.id, "n": files},
    )
    env.invalidate_all()


def measure(env, partner, runs=20):
    """Average server time and queries of the form's web_read, and of the
    history's first page (web_search_read, 80 rows)."""
    History = env["customs.operation.history"]
    history_spec = {f: {} for f in ("date", "kind", "reference", "file_state", "payment_state", "amount")}
    out = {}
    for label, call in (
        ("form", lambda: partner.web_read(FORM_SPEC)),
        (
            "history",
            lambda: History.web_search_read(
                [("commercial_partner_id", "=", partner.id)], history_spec, limit=80, count_limit=10001
            ),
        ),
    ):
        call()
        times, queries = [], 0
        for _i in range(runs):
            env.invalidate_all()
            q0 = env.cr.sql_log_count
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
            queries = env.cr.sql_log_count - q0
        times.sort()
        out[label] = (times[len(times) // 2] * 1000, queries)
    return out


def main():
    with odoo_env() as env:
        busy = make_customer(env, 91_000_001)
        small = make_customer(env, 91_000_002)
        fill(env, busy, INVOICES, QUOTATIONS, FILES)
        fill(env, small, 4, 4, 2)
        env.cr.execute("ANALYZE account_move; ANALYZE sale_order; ANALYZE customs_file; ANALYZE res_partner")
        big, little = measure(env, busy), measure(env, small)
        counts = busy.web_read(FORM_SPEC)[0]
        report(
            f"customer with {INVOICES} invoices, {QUOTATIONS} quotations, {FILES} customs files",
            [
                (
                    "counts read",
                    f"files {counts['customs_file_count']}, quotations {counts['sale_order_count']}, "
                    f"invoices {counts['customer_invoice_count']}",
                ),
                (
                    "open form (all counts), median",
                    f"{big['form'][0]:.1f} ms, {big['form'][1]} queries (target < 100 ms)",
                ),
                ("same, customer with 10 documents", f"{little['form'][0]:.1f} ms, {little['form'][1]} queries"),
                (
                    "history first page (80 rows)",
                    f"{big['history'][0]:.1f} ms, {big['history'][1]} queries (target < 200 ms)",
                ),
                ("same, customer with 10 documents", f"{little['history'][0]:.1f} ms, {little['history'][1]} queries"),
            ],
        )


if __name__ == "__main__":
    main()
