"""Lookup benchmark: loading a generated SUNAT padrón (default 6,000,000 rows,
from a .zip) with its time and peak memory; the check of registered customers
against it (10,000 and 100,000 customers: time and memory, which must not
grow with the number of customers); a lookup while a refresh runs, against a
baseline measured in the same run with no refresh; a cached lookup, and the
overhead of the HTTP provider over a local server's own response time.

BENCH_PADRON_ROWS changes the padrón size; the generated file is kept under
bench/out/ (ignored by git) for the next run. BENCH_CHECK_RUNS: how many
times each check runs (median and spread reported; default 3).
"""

import contextlib
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import odoo_env, peak_rss_mb, report

ROWS = int(os.environ.get("BENCH_PADRON_ROWS", 6_000_000))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
PADRON = os.path.join(OUT, f"padron_reducido_ruc_{ROWS}.zip")
CUSTOMERS = (10_000, 100_000)
CHANGED_SHARE = 0.01
# Steps to run (all by default): load, check, lookup (the latter includes a refresh).
STEPS = os.environ.get("BENCH_LOOKUP_STEPS", "load,check,lookup").split(",")
HEADER = (
    "RUC|NOMBRE O RAZÓN SOCIAL|ESTADO DEL CONTRIBUYENTE|CONDICIÓN DE DOMICILIO|UBIGEO|TIPO DE VÍA|NOMBRE DE VÍA|"
    "CÓDIGO DE ZONA|TIPO DE ZONA|NÚMERO|INTERIOR|LOTE|DEPARTAMENTO|MANZANA|KILÓMETRO|"
)
_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def ruc(i):
    body = f"20{i:08d}"
    total = sum(w * int(n) for w, n in zip(_WEIGHTS, body, strict=True))
    return body + str((11 - total % 11) % 10)


def generate():
    """Stream the padrón into the .zip member: no full text file on disk."""
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(1)
    states = ["ACTIVO"] * 8 + ["BAJA DE OFICIO", "SUSPENSION TEMPORAL"]
    conditions = ["HABIDO"] * 9 + ["NO HABIDO"]
    partial = PADRON + ".part"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("padron_reducido_ruc.txt", "w", force_zip64=True) as member:
            member.write((HEADER + "\r\n").encode("latin-1"))
            for start in range(0, ROWS, 20_000):
                chunk = [
                    f"{ruc(i)}|EMPRESA NÚMERO {i} S.A.C.|{rng.choice(states)}|{rng.choice(conditions)}|"
                    f"15{rng.randint(1, 43):04d}|AV.|CALLE {rng.randint(1, 999)}|-|-|"
                    f"{rng.randint(1, 2000)}|-|-|-|-|-|\r\n"
                    for i in range(start, min(start + 20_000, ROWS))
                ]
                member.write("".join(chunk).encode("latin-1"))
    os.replace(partial, PADRON)


def _status_mb(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak_rss():
    """Reset VmHWM so that it measures the step only: ru_maxrss keeps the
    peak of the registry loading, which could hide the step's own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak(reset):
    return _status_mb("VmHWM") if reset else peak_rss_mb()


def step_load():
    with odoo_env(commit=True) as env:
        env["ir.config_parameter"].set_param("clientes_aduanas.padron_directory", OUT)
        provider = env.ref("clientes_aduanas.lookup_provider_padron")
        base = _status_mb("VmRSS")
        reset = _reset_peak_rss()
        start = time.perf_counter()
        stats = provider._load_padron_file(os.path.basename(PADRON))
        env.cr.commit()
        elapsed = time.perf_counter() - start
        peak = _peak(reset)
        steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in stats.seconds.items())
        print(f"RESULT {elapsed:.2f}|{peak - base:.0f}|{base:.0f}|{stats.loaded}|{peak:.0f}|{steps}")


def _database(source, target):
    """Drop ``target``; with a ``source``, create it again as a copy of it."""
    import odoo
    from odoo.tools import SQL

    if source:  # before the registry (parsing again after it fails)
        odoo.tools.config.parse_config(["-c", os.environ["BENCH_CONF"]])
    with contextlib.closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(target)))
        if source:
            cr.execute(SQL("CREATE DATABASE %s TEMPLATE %s", SQL.identifier(target), SQL.identifier(source)))
    odoo.sql_db.close_db("postgres")


def step_check(count):
    """Register ``count`` customers whose RUCs are in the padrón (plain SQL:
    the customer rules are another benchmark's subject) and commit them, then
    time the check twice: first statuses (committed), then after 1 % of them
    changed at SUNAT.

    Customers exist before a real check: inserted in the checking
    transaction, PostgreSQL would check every foreign key of each row the
    check updates again (four constraints x 100,000 rows, a quarter of the
    statement). So the run works in a copy of the benchmark database,
    dropped at the end. Baseline of the same run: the INSERT of those
    customers (the same indexes written for as many rows)."""
    source = os.environ["BENCH_DB"]
    copy = f"{source}_check"
    _database(source, copy)
    os.environ["BENCH_DB"] = copy
    try:
        _check_in_copy(count)
    finally:
        import odoo

        odoo.sql_db.close_db(copy)
        odoo.modules.registry.Registry.delete(copy)
        _database(None, copy)


def _cpu_seconds(backend):
    """CPU time of this process and of its PostgreSQL ``backend`` (same
    machine): what the check costs whatever else runs on the shared cores."""
    with open(f"/proc/{backend}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return time.process_time() + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _check_in_copy(count):
    with odoo_env() as env:
        from odoo.addons.clientes_aduanas.tools import sunat_padron  # the registry sets the addons path

        cr = env.cr
        table = sunat_padron.active_table(cr)
        ruc_type = env["l10n_latam.identification.type"]._get_by_document_code("pe_ruc")
        start = time.perf_counter()
        cr.execute(
            f"""INSERT INTO res_partner (name, complete_name, vat, street, active, is_registered_customer,
                                         customer_state, l10n_latam_identification_type_id, country_id,
                                         autopost_bills, type, is_company)
                SELECT s.name, s.name, s.ruc, s.street, true, true, 'active', %s, %s, 'ask', 'contact', true
                  FROM {table} s ORDER BY s.ruc LIMIT %s""",
            [ruc_type.id, env.ref("base.pe").id, count],
        )
        cr.commit()
        insert_seconds = time.perf_counter() - start
        provider = env.ref("clientes_aduanas.lookup_provider_padron")
        Partner = env["res.partner"]
        cr.execute("SELECT pg_backend_pid()")
        backend = cr.fetchone()[0]
        base = _status_mb("VmRSS")
        reset = _reset_peak_rss()
        start, cpu = time.perf_counter(), _cpu_seconds(backend)
        first = Partner._sunat_check_against_padron(table, provider)
        first_seconds, first_cpu = time.perf_counter() - start, _cpu_seconds(backend) - cpu
        cr.commit()
        cr.execute(
            f"""UPDATE {table} SET taxpayer_condition = 'NO HABIDO'
                 WHERE ruc IN (SELECT ruc FROM {table} ORDER BY ruc LIMIT %s)
                   AND taxpayer_condition = 'HABIDO'""",
            [int(count * CHANGED_SHARE)],
        )
        cr.commit()
        start, cpu = time.perf_counter(), _cpu_seconds(backend)
        again = Partner._sunat_check_against_padron(table, provider)
        again_seconds, again_cpu = time.perf_counter() - start, _cpu_seconds(backend) - cpu
        peak = _peak(reset)
        print(
            f"RESULT {first_seconds:.2f}|{again_seconds:.2f}|{peak - base:.0f}|{first['checked']}|"
            f"{again['changed']}|{again['newly_observed']}|{insert_seconds:.2f}|{first_cpu:.2f}|{again_cpu:.2f}"
        )
        cr.rollback()


def _run(*args):
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    if out.returncode or not lines:
        raise SystemExit(f"step {args} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return lines[-1][7:].split("|")


class Timed(BaseHTTPRequestHandler):
    server_seconds = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        start = time.perf_counter()
        number = self.path.rsplit("=", 1)[-1]
        body = json.dumps(
            {"numeroDocumento": number, "razonSocial": "EMPRESA S.A.C.", "estado": "ACTIVO", "condicion": "HABIDO"}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        type(self).server_seconds.append(time.perf_counter() - start)


def median_ms(values):
    values = sorted(values)
    return values[len(values) // 2] * 1000


def p95_ms(values):
    values = sorted(values)
    return values[int(len(values) * 0.95)] * 1000


def _timed_lookups(env, numbers, stop=None):
    """Uncached lookups in the padrón, each in a transaction of its own like
    a request (so the refresh's final swap is not held): through the
    provider chain, and the table's own SELECT alone."""
    from odoo.addons.clientes_aduanas.tools import sunat_padron  # the registry sets the addons path

    Provider = env["document.lookup.provider"].with_context(document_lookup_kind="sunat_padron")
    seconds, sql_seconds = [], []
    # While a refresh runs, the numbers are asked again until it ends.
    for number in itertools.cycle(numbers) if stop is not None else numbers:
        if stop is not None and stop.is_set():
            break
        start = time.perf_counter()
        Provider._lookup("pe_ruc", number)
        seconds.append(time.perf_counter() - start)
        env.cr.rollback()
        start = time.perf_counter()
        sunat_padron.lookup(env.cr, number)
        sql_seconds.append(time.perf_counter() - start)
        env.cr.rollback()
        if stop is not None:
            time.sleep(0.02)
    return seconds, sql_seconds


def main():
    if len(sys.argv) > 1:
        if sys.argv[1] == "load":
            return step_load()
        return step_check(int(sys.argv[2]))
    if not os.path.exists(PADRON):
        start = time.perf_counter()
        generate()
        print(f"generated {PADRON} in {time.perf_counter() - start:.0f} s")
    rows = []
    if "load" in STEPS:
        seconds, megabytes, base, loaded, peak, steps = _run("load")
        print(f"load: {seconds} s, peak {peak} MB (+{megabytes} MB), {loaded} rows ({steps})", flush=True)
        rows += [
            (
                f"load {ROWS} rows from a .zip ({os.path.getsize(PADRON) >> 20} MB), customers checked",
                f"{float(seconds):.1f} s (target < 120 s); {loaded} rows loaded ({steps})",
            ),
            (
                "  peak RSS of the loading process",
                f"{peak} MB, +{megabytes} MB over its {base} MB before the load (target < 250 MB)",
            ),
        ]
    if "check" in STEPS:
        _report_checks(rows)
    if "lookup" in STEPS:
        _report_lookups(rows)
    report("document lookup", rows)


def _report_checks(rows):
    """Each size BENCH_CHECK_RUNS times (default 3): median, spread, and the
    load average of the shared machine around the runs."""
    runs = int(os.environ.get("BENCH_CHECK_RUNS", 3))
    checks = {}
    for count in CUSTOMERS:
        load_before = os.getloadavg()[0]
        results = []
        for _run_index in range(runs):
            results.append(_run("check", str(count)))
            print(f"check {count}: {results[-1]}", flush=True)
        checks[count] = (results, load_before, os.getloadavg()[0])

    def median(results, index):
        return statistics.median(float(result[index]) for result in results)

    def spread(results, index):
        values = [float(result[index]) for result in results]
        return f"{min(values):.2f}–{max(values):.2f}"

    for count, (results, load_before, load_after) in checks.items():
        checked, changed, newly = results[-1][3:6]
        first, again, insert = median(results, 0), median(results, 1), median(results, 6)
        rows.append(
            (
                f"check {count} customers (first statuses / {CHANGED_SHARE:.0%} changed), median of {len(results)}",
                f"{first:.2f} s ({spread(results, 0)}) / {again:.2f} s ({spread(results, 1)}) (target < 10 s);"
                f" {checked} checked, {changed} changed, {newly} activities; peak +{median(results, 2):.0f} MB",
            )
        )
        rows.append(
            (
                "  same-run baseline: INSERT of those customers",
                f"{insert:.2f} s ({spread(results, 6)}): first statuses {first / insert:.2f}x, "
                f"{CHANGED_SHARE:.0%} changed {again / insert:.2f}x; load average {load_before:.1f} → {load_after:.1f}",
            )
        )
        rows.append(
            (
                "  CPU time (Odoo process + its PostgreSQL backend)",
                f"{median(results, 7):.2f} s ({spread(results, 7)}) / "
                f"{median(results, 8):.2f} s ({spread(results, 8)})",
            )
        )
    small, large = (checks[c][0][-1] for c in CUSTOMERS)
    rows.append(
        (
            f"  memory, {CUSTOMERS[1]} vs {CUSTOMERS[0]} customers",
            f"+{large[2]} MB vs +{small[2]} MB (independent of the number of customers)",
        )
    )


def _report_lookups(rows):
    with odoo_env() as env:
        rng = random.Random(2)
        numbers = [ruc(rng.randint(0, ROWS - 1)) for _k in range(3000)]
        baseline, sql_baseline = _timed_lookups(env, numbers[:300])
        stop = threading.Event()
        during = []
        sampler = threading.Thread(
            target=lambda: during.extend(_timed_lookups_in_new_env(env.registry, numbers[300:], stop))
        )
        sampler.start()
        refresh_seconds = _run("load")[0]
        load_average = os.getloadavg()[1]
        print(f"refresh: {refresh_seconds} s", flush=True)
        stop.set()
        sampler.join()
        during, sql_during = during
        rows.append(
            (
                "lookup in the offline table, no refresh (median / p95)",
                f"{median_ms(baseline):.2f} / {p95_ms(baseline):.2f} ms",
            )
        )
        rows.append(
            (
                f"lookup while a refresh runs ({len(during)} lookups during {float(refresh_seconds):.0f} s)",
                f"median {median_ms(during):.2f} ms (target < 5 ms), p95 {p95_ms(during):.2f} ms, "
                f"max {max(during) * 1000:.0f} ms; "
                f"{median_ms(during) / median_ms(baseline):.2f}x the baseline",
            )
        )
        rows.append(
            (
                "  the table's SELECT alone, no refresh / during it (median)",
                f"{median_ms(sql_baseline):.2f} / {median_ms(sql_during):.2f} ms "
                f"({median_ms(sql_during) / median_ms(sql_baseline):.2f}x); machine load average {load_average:.1f} "
                f"on {os.cpu_count()} cores",
            )
        )
        Provider = env["document.lookup.provider"]
        Provider.search([("kind", "=", "http_json")]).active = False
        cached = []
        for number in numbers[:200]:
            Provider._lookup("pe_ruc", number)
            start = time.perf_counter()
            Provider._lookup("pe_ruc", number)
            cached.append(time.perf_counter() - start)
        rows.append(("cached lookup (median)", f"{median_ms(cached):.2f} ms (target < 5 ms)"))

        server = ThreadingHTTPServer(("127.0.0.1", 0), Timed)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        http = env.ref("clientes_aduanas.lookup_provider_apis_net_pe").copy(
            {"active": True, "base_url": f"http://127.0.0.1:{server.server_address[1]}", "rate_limit": 0}
        )
        limited = http.copy({"rate_limit": 1_000_000})
        client, shared_limit = [], []
        for number in numbers[:200]:
            start = time.perf_counter()
            http._lookup_one("pe_ruc", number)
            client.append(time.perf_counter() - start)
            start = time.perf_counter()
            limited._lookup_one("pe_ruc", number)
            shared_limit.append(time.perf_counter() - start)
        server.shutdown()
        overhead = median_ms(client) - median_ms(Timed.server_seconds)
        rows.append(
            (
                "HTTP provider overhead (median)",
                f"{overhead:.2f} ms over the server's {median_ms(Timed.server_seconds):.2f} ms (target < 20 ms)",
            )
        )
        rows.append(
            (
                "  with the rate limit shared through PostgreSQL",
                f"+{median_ms(shared_limit) - median_ms(client):.2f} ms per request "
                f"({median_ms(shared_limit) / median_ms(client):.2f}x the request without limit)",
            )
        )


def _timed_lookups_in_new_env(registry, numbers, stop):
    """The same from another thread, standing for another worker."""
    from odoo import SUPERUSER_ID, api  # the registry sets the addons path

    with registry.cursor() as cr:
        return _timed_lookups(api.Environment(cr, SUPERUSER_ID, {}), numbers, stop)


if __name__ == "__main__":
    main()
