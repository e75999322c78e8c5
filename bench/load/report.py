"""Summarises a load benchmark run (bench/load/run.sh): per scenario and
route the requests, errors, throughput, median and p95 from every request's
time (recorded by the Locust users); the
correctness figures (cross-customer pages, one customer per colliding e-mail
and document, provider calls per minute against the shared limit); the
workers' memory peaks against their limits; the 4-to-1 worker throughput
ratio; the machine's load average. Markdown on stdout.

    python bench/load/report.py OUT_DIR ODOO_CONF [ODOO_LOG]
"""

import collections
import configparser
import datetime
import glob
import json
import math
import os
import sys

import psycopg2


def ruc(body):
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    digit = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return body + str({10: 0, 11: 1}.get(digit, digit))


def read_json(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def loadavg(out, label):
    def one(suffix):
        try:
            with open(os.path.join(out, f"{label}-loadavg-{suffix}.txt")) as f:
                return f.read().split()[0]
        except OSError:
            return "?"

    return f"{one('start')} → {one('end')}"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def figures(out, label):
    """Per route and in total: requests, errors, req/s over the scenario's
    window, median and p95 (ms), exact, from every request's time."""
    times = (read_json(os.path.join(out, f"{label}-checks.json"), {}) or {}).get("times") or []
    if not times:
        return {}
    start = min(t - ms / 1000 for _n, t, ms, _ok in times)
    window = max(t for _n, t, _ms, _ok in times) - start
    by_route = collections.defaultdict(list)
    for name, _t, ms, ok in times:
        by_route[name].append((ms, ok))
        by_route["Total"].append((ms, ok))
    return {
        name: {
            "requests": len(rows),
            "errors": sum(1 for _ms, ok in rows if not ok),
            "rps": len(rows) / window if window else 0.0,
            "median": percentile([ms for ms, _ok in rows], 0.5),
            "p95": percentile([ms for ms, _ok in rows], 0.95),
            "window": window,
        }
        for name, rows in by_route.items()
    }


def server_times(log_path):
    """(end time, seconds inside the worker) of every HTTP request in Odoo's
    log: werkzeug's line ends with the query count, the SQL time and the
    rest of the time spent in the worker."""
    found = []
    if not log_path or not os.path.exists(log_path):
        return found
    with open(log_path, errors="replace") as f:
        for line in f:
            if " werkzeug: " not in line or '" 200 ' not in line:
                continue
            parts = line.split()
            try:
                stamp = datetime.datetime.strptime(f"{parts[0]} {parts[1]}", "%Y-%m-%d %H:%M:%S,%f")
                found.append(
                    (stamp.replace(tzinfo=datetime.timezone.utc).timestamp(), float(parts[-2]) + float(parts[-1]))
                )
            except (ValueError, IndexError):
                continue
    return found


def scenario_table(out, label, log_times=()):
    routes = figures(out, label)
    if not routes:
        return []
    lines = [
        f"### {label} ({routes['Total']['window']:.0f} s; carga de la máquina, 1 min: {loadavg(out, label)})",
        "",
        "| Ruta | Peticiones | Errores | req/s | Mediana ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in sorted(routes, key=lambda n: (n == "Total", n)):
        row = routes[name]
        shown = "**Total**" if name == "Total" else f"`{name}`"
        lines.append(
            f"| {shown} | {row['requests']} | {row['errors']} | {row['rps']:.1f} "
            f"| {row['median']:.0f} | {row['p95']:.0f} |"
        )
    times = (read_json(os.path.join(out, f"{label}-checks.json"), {}) or {}).get("times") or []
    start, end = min(t for _n, t, _ms, _ok in times) - 1, max(t for _n, t, _ms, _ok in times) + 1
    inside = [seconds * 1000 for stamp, seconds in log_times if start <= stamp <= end]
    if inside:
        lines += [
            "",
            f"Tiempo dentro del worker (registro de Odoo, {len(inside)} peticiones): mediana "
            f"{percentile(inside, 0.5):.0f} ms, p95 {percentile(inside, 0.95):.0f} ms; el resto de la latencia es "
            "espera en la cola del socket y por la CPU.",
        ]
    return lines + [""]


def collisions(conf_path, fixture, pool):
    """Registered customers holding each colliding e-mail / document of the
    run (archived ones included: they keep their keys)."""
    conf = configparser.ConfigParser()
    conf.read(conf_path)
    o = conf["options"]
    run = fixture["run"]
    emails = [f"colision{i}.r{run}@carga.example.pe" for i in range(pool)]
    vats = [ruc(f"202{run % 10_000:04d}{i:03d}") for i in range(pool)]
    with (
        psycopg2.connect(
            host=o["db_host"], port=o["db_port"], user=o["db_user"], password=o["db_password"], dbname=fixture["db"]
        ) as conn,
        conn.cursor() as cr,
    ):
        cr.execute(
            "SELECT lower(email), count(*) FROM res_partner WHERE is_registered_customer AND lower(email) = ANY(%s)"
            " GROUP BY 1",
            [emails],
        )
        by_email = dict(cr.fetchall())
        cr.execute(
            "SELECT vat, count(*) FROM res_partner WHERE is_registered_customer AND vat = ANY(%s) GROUP BY 1", [vats]
        )
        by_vat = dict(cr.fetchall())
        # A pool e-mail a customer left by an edit (tracked in its chatter).
        cr.execute("SELECT DISTINCT old_value_char FROM mail_tracking_value WHERE old_value_char = ANY(%s)", [emails])
        moved = {row[0] for row in cr.fetchall()}
    return by_email, by_vat, moved


def main():
    out, conf_path = sys.argv[1:3]
    log_times = server_times(sys.argv[3] if len(sys.argv) > 3 else None)
    fixture = read_json(os.path.join(out, "fixture.json"), {})
    lines = ["# Carga (Locust, bench/load/run.sh)", ""]
    labels = sorted(
        {os.path.basename(p)[: -len("-checks.json")] for p in glob.glob(os.path.join(out, "*-checks.json"))},
        key=lambda label: (-int(label[1 : label.index("-")]), label),
    )
    for label in labels:
        lines += scenario_table(out, label, log_times)

    lines += ["## Corrección", ""]
    for label in labels:
        checks = (read_json(os.path.join(out, f"{label}-checks.json"), {}) or {}).get("checks", {})
        if "portal" in label:
            lines.append(
                f"- {label}: {checks.get('portal_pages_checked', 0)} páginas revisadas, "
                f"**{checks.get('cross_customer_pages', 0)} con expedientes de otro cliente**; "
                f"{checks.get('foreign_file_refused', 0)} de {checks.get('foreign_file_attempts', 0)} intentos "
                f"de abrir un expediente ajeno rechazados; sesiones perdidas: "
                f"{checks.get('portal_not_logged_in', 0)}, errores HTTP: {checks.get('portal_http_errors', 0)}"
            )
        if "staff" in label:
            data = read_json(os.path.join(out, f"{label}-checks.json"), {})
            pool = data.get("pool", 40)
            by_email, by_vat, moved = collisions(conf_path, fixture, pool)
            emptied = len(moved - set(by_email))
            tried = checks.get("pool_reached", 0)
            one_email = sum(1 for v in by_email.values() if v == 1)
            one_vat = sum(1 for v in by_vat.values() if v == 1)
            dup = sum(1 for v in list(by_email.values()) + list(by_vat.values()) if v > 1)
            lines.append(
                f"- {label}: emails en común: {checks.get('email_attempts', 0)} altas intentadas, "
                f"{checks.get('email_created', 0)} creadas, {checks.get('email_refused_in_spanish', 0)} rechazadas en "
                f"español; documentos en común: {checks.get('document_attempts', 0)} intentadas, "
                f"{checks.get('document_created', 0)} creadas, {checks.get('document_refused_in_spanish', 0)} "
                f"rechazadas en español; ediciones hacia el email siguiente del grupo: "
                f"{checks.get('edit_collision_attempts', 0)}, {checks.get('edit_collision_refused_in_spanish', 0)} "
                f"rechazadas en español (las demás lo tomaron antes de que otro lo creara). En la base: "
                f"**{one_email} de {tried} emails y {one_vat} de {tried} documentos del grupo usados con "
                f"exactamente un cliente; {dup} duplicados**; {emptied} email(s) del grupo sin cliente porque una "
                f"segunda edición del mismo cliente lo cambió (consta en su historial); errores inesperados: "
                f"{checks.get('unexpected_errors', 0)}"
            )
        if "lupa" in label:
            provider = read_json(os.path.join(out, f"{label.split('-')[0]}-provider.json"), {}) or {}
            busiest = max(provider.values(), default=0)
            lines.append(
                f"- {label}: {checks.get('lupa_presses', 0)} pulsaciones de la lupa, {checks.get('lupa_found', 0)} "
                f"respondidas por el proveedor, {checks.get('lupa_told_limit_in_spanish', 0)} avisadas en español del "
                f"límite, {checks.get('lupa_other_answers', 0)} otras; llamadas recibidas por el proveedor por minuto: "
                f"{', '.join(f'{k[-5:]} → {v}' for k, v in provider.items())} (**máximo {busiest}**, límite 60)"
            )
        samples = (read_json(os.path.join(out, f"{label}-checks.json"), {}) or {}).get("samples", {})
        for kind, texts in samples.items():
            for text in texts:
                lines.append(f"  - muestra {kind}: {text}")
    lines.append("")

    lines += ["## Memoria por proceso (pico; Odoo limita la memoria virtual)", ""]
    for mem_path in sorted(glob.glob(os.path.join(out, "w*-memory.json"))):
        workers = os.path.basename(mem_path).split("-")[0]
        conf = configparser.ConfigParser()
        conf.read(os.path.join(out, f"{workers}-odoo.conf"))
        soft = int(conf["options"].get("limit_memory_soft", "0")) if conf.has_section("options") else 0
        mem = read_json(mem_path, {})
        procs = mem.get("processes", {})
        workers_only = [p for p in procs.values() if p["kind"] == "worker"]
        max_vms = max((p["vms"] for p in workers_only), default=0)
        max_rss = max((p["rss"] for p in workers_only), default=0)
        lines.append(
            f"- {workers}: {len(workers_only)} procesos observados durante {mem.get('seconds', 0):.0f} s "
            f"({mem.get('samples', 0)} muestras): pico virtual {max_vms / 2**20:.0f} MiB, residente "
            f"{max_rss / 2**20:.0f} MiB; límite blando {soft / 2**20:.0f} MiB → "
            f"{'**bajo el límite**' if max_vms < soft else '**SOBRE EL LÍMITE**'}"
        )
    lines.append("")

    lines += ["## 4 workers frente a 1", ""]
    for kind in ("portal", "portal-nothink"):
        w4, w1 = figures(out, f"w4-{kind}").get("Total"), figures(out, f"w1-{kind}").get("Total")
        if w4 and w1 and w1["rps"]:
            lines.append(
                f"- {kind}: {w4['rps']:.1f} req/s (p95 {w4['p95']:.0f} ms) frente a "
                f"{w1['rps']:.1f} req/s (p95 {w1['p95']:.0f} ms) → **{w4['rps'] / w1['rps']:.2f}×**"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
