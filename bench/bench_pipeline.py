"""Partner pipeline benchmark: what the addon costs ordinary partners.

10,000 writes, one partner each (as ten thousand form saves: each write is
flushed), on partners that are not registered customers, touching the
e-mail, the phone and the address. Measured with the addon's create/write
pipeline (res_partner.py) and with it bypassed (the parent class's write:
Odoo as if the addon were not there), interleaved, best of ROUNDS, in the
same run. Target: <= 1.05x.
"""

import os
import time

from harness import odoo_env, report

WRITES = 10_000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 2))


def main():
    with odoo_env() as env:
        from odoo.addons.clientes_aduanas.models.res_partner import ResPartner as Pipeline

        # Inserted in SQL: creating them is not what is measured.
        env.cr.execute(
            """INSERT INTO res_partner (name, complete_name, email, phone, active, type, autopost_bills, is_company,
                                        customer_state)
               SELECT 'Proveedor ' || i, 'Proveedor ' || i, 'p' || i || '@proveedor.example', '+51 1 4440000',
                      true, 'contact', 'ask', false, 'active'
                 FROM generate_series(1, %s) AS i
            RETURNING id""",
            [WRITES],
        )
        partners = env["res.partner"].browse([row[0] for row in env.cr.fetchall()])
        env.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partners.ids])
        env.flush_all()
        # Warm the ORM's caches and the code paths up.
        for partner in partners[:200]:
            partner.write({"email": f"w{partner.id}@proveedor.example"})
            super(Pipeline, partner).write({"email": f"x{partner.id}@proveedor.example"})
        env.flush_all()

        def run(with_addon, round_):
            start = time.perf_counter()
            for partner in partners:
                vals = {
                    "email": f"r{round_}-{partner.id}@proveedor.example",
                    "phone": f"+51 1 44{round_}{partner.id % 10000:04d}",
                    "street": f"Av. Prueba {round_}",
                }
                if with_addon:
                    partner.write(vals)
                else:
                    super(Pipeline, partner).write(vals)
                env.flush_all()
            return time.perf_counter() - start

        best = {True: float("inf"), False: float("inf")}
        for round_ in range(ROUNDS):
            for with_addon in (False, True) if round_ % 2 else (True, False):
                seconds = run(with_addon, f"{round_}{int(with_addon)}")
                best[with_addon] = min(best[with_addon], seconds)
                print(f"round {round_} {'addon' if with_addon else 'bypassed'}: {seconds:.2f} s", flush=True)
        ratio = best[True] / best[False]
        report(
            f"{WRITES} writes of ordinary partners (e-mail, phone, street), one flushed write each",
            [
                ("with the addon's pipeline", f"{best[True]:.2f} s"),
                ("pipeline bypassed (parent write)", f"{best[False]:.2f} s"),
                ("ratio", f"{ratio:.3f}x (target <= 1.05x)"),
            ],
        )


if __name__ == "__main__":
    main()
