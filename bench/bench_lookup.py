"""Issue 5 benchmark: loading a generated SUNAT padrón of 1,000,000 rows
(time, peak memory), a lookup in the offline table, a cached lookup, and the
overhead of the HTTP provider over a local server's own response time.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import odoo_env, peak_rss_mb, report
from stdnum.pe import ruc as pe_ruc

ROWS = int(os.environ.get("BENCH_PADRON_ROWS", 1_000_000))
PADRON = f"/tmp/clientes_aduanas_padron_{ROWS}.txt"
HEADER = (
    "RUC|NOMBRE O RAZÓN SOCIAL|ESTADO DEL CONTRIBUYENTE|CONDICIÓN DE DOMICILIO|UBIGEO|TIPO DE VÍA|NOMBRE DE VÍA|"
    "CÓDIGO DE ZONA|TIPO DE ZONA|NÚMERO|INTERIOR|LOTE|DEPARTAMENTO|MANZANA|KILÓMETRO|"
)


def ruc(i):
    body = f"20{i:08d}"
    return body + pe_ruc.calc_check_digit(body)


def generate():
    rng = random.Random(1)
    with open(PADRON, "w", encoding="latin-1") as handle:
        handle.write(HEADER + "\r\n")
        for i in range(ROWS):
            handle.write(
                f"{ruc(i)}|EMPRESA NÚMERO {i} S.A.C.|{rng.choice(['ACTIVO', 'ACTIVO', 'BAJA DE OFICIO'])}|"
                f"{rng.choice(['HABIDO', 'HABIDO', 'NO HABIDO'])}|15{rng.randint(1, 43):04d}|AV.|"
                f"CALLE {rng.randint(1, 999)}|-|-|{rng.randint(1, 2000)}|-|-|-|-|-|\r\n"
            )


def _status_mb(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak_rss():
    """Reset VmHWM so that it measures the load only: ru_maxrss keeps the
    peak of the registry loading, which could hide the load's own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def step_load():
    with odoo_env(commit=True) as env:
        provider = env.ref("clientes_aduanas.lookup_provider_padron")
        base = _status_mb("VmRSS")
        reset = _reset_peak_rss()
        start = time.perf_counter()
        stats = provider._load_padron_file(PADRON)
        env.cr.commit()
        elapsed = time.perf_counter() - start
        peak = _status_mb("VmHWM") if reset else peak_rss_mb()
        print(f"RESULT {elapsed:.2f}|{peak - base:.0f}|{base:.0f}|{stats.loaded}|{peak:.0f}")


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


def main():
    if len(sys.argv) > 1:
        return step_load()
    if not os.path.exists(PADRON):
        generate()
    out = subprocess.run([sys.executable, __file__, "load"], capture_output=True, text=True, check=True).stdout
    result = [ln for ln in out.splitlines() if ln.startswith("RESULT ")][-1][7:]
    seconds, megabytes, base, loaded, peak = result.split("|")
    rows = [
        (
            f"load {ROWS} rows (COPY), {os.path.getsize(PADRON) >> 20} MB file",
            f"{float(seconds):.1f} s (target < 60 s)",
        ),
        (
            "  peak RSS of the loading process",
            f"{peak} MB, +{megabytes} MB over its {base} MB before the load (target < 200 MB); {loaded} rows loaded",
        ),
    ]
    with odoo_env() as env:
        Provider = env["document.lookup.provider"]
        Provider.search([("kind", "=", "http_json")]).active = False
        padron = env.ref("clientes_aduanas.lookup_provider_padron")
        padron.active = True
        numbers = [ruc(random.Random(2).randint(0, ROWS - 1) + k) for k in range(200)]
        offline, cached = [], []
        for number in numbers:
            env["document.lookup.cache"].search([("number", "=", number)]).unlink()
            start = time.perf_counter()
            Provider._lookup("pe_ruc", number)
            offline.append(time.perf_counter() - start)
            start = time.perf_counter()
            Provider._lookup("pe_ruc", number)
            cached.append(time.perf_counter() - start)
        rows.append(("lookup in the offline table (median)", f"{median_ms(offline):.2f} ms (target < 5 ms)"))
        rows.append(("cached lookup (median)", f"{median_ms(cached):.2f} ms (target < 5 ms)"))

        server = ThreadingHTTPServer(("127.0.0.1", 0), Timed)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        http = env.ref("clientes_aduanas.lookup_provider_apis_net_pe").copy(
            {"active": True, "base_url": f"http://127.0.0.1:{server.server_address[1]}", "rate_limit": 0}
        )
        client = []
        for number in numbers:
            start = time.perf_counter()
            http._lookup_one("pe_ruc", number)
            client.append(time.perf_counter() - start)
        server.shutdown()
        overhead = median_ms(client) - median_ms(Timed.server_seconds)
        rows.append(
            (
                "HTTP provider overhead (median)",
                f"{overhead:.2f} ms over the server's {median_ms(Timed.server_seconds):.2f} ms (target < 20 ms)",
            )
        )
    report("document lookup", rows)


if __name__ == "__main__":
    main()
