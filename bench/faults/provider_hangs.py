"""Fault: the lookup provider hangs (accepts the connection, never
answers) while 20 users press the lupa at once.

Each lookup runs in its own thread and transaction, as 20 workers would.
Expected: each answers (a Spanish "lookup failed" message) within the
lookup's time budget (clientes_aduanas.lookup_time_budget, 10 s by default),
far below the workers' limit_time_real (600 s in deploy/odoo.conf)."""

import socket
import statistics
import threading
import time

from common import ensure_spanish, env_for, outcome, registry
from stdnum.pe import ruc as pe_ruc

from odoo.exceptions import UserError

USERS = 20
LIMIT_TIME_REAL = 600


def hanging_server():
    """A TCP server that accepts every connection and says nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            try:
                conn, _addr = server.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return server, held


def main():
    reg = registry()
    ensure_spanish(reg)
    server, held = hanging_server()
    port = server.getsockname()[1]
    with reg.cursor() as cr:
        env = env_for(cr)
        Provider = env["document.lookup.provider"].with_context(active_test=False)
        ruc_type = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc")
        # Only the hanging provider answers RUCs during the scenario.
        others = Provider.search([("active", "=", True), ("document_type_ids", "in", ruc_type.ids)])
        others.active = False
        hanging = env.ref("clientes_aduanas.lookup_provider_apis_net_pe").copy(
            {"name": "proveedor colgado", "active": True, "base_url": f"http://127.0.0.1:{port}", "token": "t"}
        )
        budget = hanging._time_budget()
        cr.commit()
        other_ids, hanging_id = others.ids, hanging.id
    results = [None] * USERS

    def press_the_lupa(i):
        body = f"20{900000 + i:08d}"
        number = body + pe_ruc.calc_check_digit(body)
        start = time.monotonic()
        try:
            with reg.cursor() as cr:
                env_for(cr)["document.lookup.provider"]._lookup("pe_ruc", number)
            answer = "FOUND?"
        except UserError as err:
            answer = err.args[0].splitlines()[0]
        results[i] = (time.monotonic() - start, answer)

    try:
        threads = [threading.Thread(target=press_the_lupa, args=(i,)) for i in range(USERS)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(LIMIT_TIME_REAL)
        wall = time.monotonic() - start
    finally:
        server.close()
        for conn in held:
            conn.close()
        with reg.cursor() as cr:
            env = env_for(cr)
            env["document.lookup.provider"].browse(hanging_id).unlink()
            env["document.lookup.provider"].browse(other_ids).write({"active": True})
            cr.commit()
    seconds = [r[0] for r in results if r]
    answers = {r[1] for r in results if r}
    outcome(
        f"Provider hanging during {USERS} concurrent lookups",
        [
            ("lookups answered", f"{len(seconds)} of {USERS}"),
            ("time per lookup", f"median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s"),
            (
                "time budget of one lookup",
                f"{budget:g} s; all within it: {'yes' if max(seconds) <= budget + 2 else 'NO'}",
            ),
            ("limit_time_real of a worker", f"{LIMIT_TIME_REAL} s: exceeded by none ({wall:.1f} s for all)"),
            ("answer shown", " / ".join(sorted(answers))),
        ],
    )


if __name__ == "__main__":
    main()
