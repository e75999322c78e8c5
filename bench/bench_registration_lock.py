"""What refusing a racing registration before its INSERT costs (the key
locks and the search on a fresh cursor of ``_check_committed_duplicates``).

CREATES registered customers created one by one (as form saves: each create
flushed), with the check and with it bypassed (its bound set to 0: Odoo's
unique indexes alone, as before), interleaved, median of BENCH_RUNS runs, in
the same run. Ordinary partners never reach the check (bench_pipeline.py).
"""

import os
import time

from harness import odoo_env, ratio, repeat, report, spread

CREATES = int(os.environ.get("BENCH_CREATES", 200))


def main():
    with odoo_env() as env:
        from odoo.addons.clientes_aduanas.models import res_partner_uniqueness as uniqueness
        from odoo.addons.clientes_aduanas.tools import document_number as dn

        bound = uniqueness.KEY_LOCK_MAX_KEYS
        ruc = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc")
        lima = env.ref("base.state_pe_15")
        Partner = env["res.partner"]
        runs = {"n": 0}

        def vals(i, tag):
            body = f"20{88000000 + runs['n'] * 10000 + i:08d}"
            return {
                "name": f"Carrera {tag} {i} S.A.C.",
                "is_registered_customer": True,
                "l10n_latam_identification_type_id": ruc.id,
                "vat": body + dn.pe_ruc.calc_check_digit(body),
                "street": "Av. Arequipa 100",
                "city": "Lima",
                "state_id": lima.id,
                "country_id": env.ref("base.pe").id,
                "email": f"carrera{runs['n']}-{i}@bench.example.pe",
                "phone": "+51 1 4445555",
            }

        def measure(with_check):
            def run():
                runs["n"] += 1
                uniqueness.KEY_LOCK_MAX_KEYS = bound if with_check else 0
                tag = "check" if with_check else "plain"
                try:
                    with env.cr.savepoint(flush=False) as savepoint:
                        start = time.perf_counter()
                        for i in range(CREATES):
                            Partner.create(vals(i, tag))
                            env.flush_all()
                        seconds = time.perf_counter() - start
                        savepoint.rollback()  # also gives the key locks back
                    env.invalidate_all()
                finally:
                    uniqueness.KEY_LOCK_MAX_KEYS = bound
                return 1000 * seconds / CREATES

            return run

        measure(True)()  # warm-up
        samples = repeat({"check": measure(True), "plain": measure(False)})
        report(
            f"{CREATES} registered customers created one by one (flushed each)",
            [
                ("with the key locks and the fresh search", spread(samples["check"], "ms per create")),
                ("unique indexes alone (bound 0)", spread(samples["plain"], "ms per create")),
                ("ratio", f"{ratio(samples['check'], samples['plain']):.3f}x"),
            ],
        )


if __name__ == "__main__":
    main()
