"""Issue 6 benchmark, one run on the same generated 10,000-row .xlsx:

(a) preview/validation of every row, (b) full import, (c) Odoo's own
base_import of the same rows into res.partner, (d) plain batched
res.partner.create of the same values; then peak memory of the import and
100,000 rows through the background (queue_job) path.

Each measure runs in its own process (fresh registry) so that peak memory
(ru_maxrss) belongs to that step alone.
"""

import base64
import csv
import io
import os
import subprocess
import sys
import time

from generate_customers import write
from harness import odoo_env, peak_rss_mb, report

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 10_000))
BIG_ROWS = int(os.environ.get("BENCH_IMPORT_BIG_ROWS", 100_000))
XLSX = f"/tmp/clientes_aduanas_bench_{ROWS}_customers.xlsx"
BIG_XLSX = f"/tmp/clientes_aduanas_bench_{BIG_ROWS}.xlsx"


def wizard(env, path):
    with open(path, "rb") as handle:
        data = handle.read()
    return env["customer.import.wizard"].create({"file": base64.b64encode(data), "filename": "clientes.xlsx"})


def step_preview():
    with odoo_env() as env:
        base = peak_rss_mb()
        start = time.perf_counter()
        analysis = wizard(env, XLSX)._analyse()
        elapsed = time.perf_counter() - start
        errors = sum(1 for r in analysis["rows"] if r["errors"])
        return elapsed, peak_rss_mb() - base, f"{len(analysis['rows'])} rows, {errors} with errors"


def step_import():
    with odoo_env() as env:
        base = peak_rss_mb()
        start = time.perf_counter()
        record = wizard(env, XLSX)
        record.action_import()
        env.flush_all()
        elapsed = time.perf_counter() - start
        return elapsed, peak_rss_mb() - base, f"{record.result_created} created, {record.result_contacts} contacts"


def _plain_values(env):
    """The values the import would write, computed once outside the timer."""
    analysis = wizard(env, XLSX)._analyse()
    values = []
    for row in analysis["rows"]:
        vals = dict(row["vals"])
        vals.pop("is_registered_customer", None)
        values.append(vals)
    return values


def step_plain_create():
    with odoo_env() as env:
        values = _plain_values(env)
        base = peak_rss_mb()
        start = time.perf_counter()
        for index in range(0, len(values), 1000):
            env["res.partner"].create(values[index : index + 1000])
        env.flush_all()
        return time.perf_counter() - start, peak_rss_mb() - base, f"{len(values)} partners"


def step_base_import():
    with odoo_env() as env:
        values = _plain_values(env)
        columns = ["name", "vat", "street", "city", "email", "phone", "is_company"]
        rel_columns = [
            ("country_id/.id", "country_id"),
            ("state_id/.id", "state_id"),
            ("l10n_latam_identification_type_id/.id", "l10n_latam_identification_type_id"),
        ]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns + [c for c, _f in rel_columns])
        for vals in values:
            writer.writerow(
                [vals.get(c) if vals.get(c) is not False else "" for c in columns]
                + [vals.get(f) or "" for _c, f in rel_columns]
            )
        data = out.getvalue().encode()
        base = peak_rss_mb()
        start = time.perf_counter()
        importer = env["base_import.import"].create(
            {"res_model": "res.partner", "file": data, "file_type": "text/csv", "file_name": "partners.csv"}
        )
        result = importer.execute_import(
            columns + [c for c, _f in rel_columns],
            columns + [c for c, _f in rel_columns],
            {"quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8"},
        )
        env.flush_all()
        elapsed = time.perf_counter() - start
        messages = [m["message"] for m in result.get("messages", [])][:2]
        return elapsed, peak_rss_mb() - base, f"{len(result.get('ids') or [])} partners {messages or ''}"


def step_background():
    from odoo.addons.queue_job.job import Job

    with odoo_env() as env:
        base = peak_rss_mb()
        start = time.perf_counter()
        record = wizard(env, BIG_XLSX)
        record.action_import()
        queued = env["queue.job"].search([("model_name", "=", "customer.import.job.chunk")])
        for queued_job in queued.sorted(lambda q: q.records.kind != "customers"):
            Job.load(env, queued_job.uuid).perform()
        env.flush_all()
        elapsed = time.perf_counter() - start
        job = record.job_id
        return (
            elapsed,
            peak_rss_mb() - base,
            f"{job.created_count} created in {job.chunk_count} chunks, state {job.state}",
        )


STEPS = {
    "preview": step_preview,
    "import": step_import,
    "base_import": step_base_import,
    "plain_create": step_plain_create,
    "background": step_background,
}


def run_step(name):
    """Run one step in a fresh process; returns (seconds, MB, note)."""
    output = subprocess.run(
        [sys.executable, __file__, name], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    line = [ln for ln in output.splitlines() if ln.startswith("RESULT ")][-1]
    seconds, megabytes, note = line[len("RESULT ") :].split("|", 2)
    return float(seconds), float(megabytes), note


def main():
    if len(sys.argv) > 1:
        seconds, megabytes, note = STEPS[sys.argv[1]]()
        print(f"RESULT {seconds:.3f}|{megabytes:.0f}|{note}")
        return
    if not os.path.exists(XLSX):
        write(ROWS, XLSX, with_contacts=False)  # (c) and (d) import customers only
    results = {name: run_step(name) for name in ("preview", "import", "base_import", "plain_create")}
    a, b, c, d = (results[n][0] for n in ("preview", "import", "base_import", "plain_create"))
    rows = [(name, f"{s:.2f} s, +{mb:.0f} MB peak, {note}") for name, (s, mb, note) in results.items()]
    rows += [
        ("(a) preview, target < 3 s", f"{a:.2f} s"),
        ("(c)/(b) base_import vs import, target >= 1.5", f"{c / b:.2f}x"),
        ("(d)/(b) plain create vs import, target >= 1.0", f"{d / b:.2f}x"),
        ("import peak memory, target < 300 MB", f"+{results['import'][1]:.0f} MB"),
    ]
    if BIG_ROWS:
        if not os.path.exists(BIG_XLSX):
            write(BIG_ROWS, BIG_XLSX)
        s, mb, note = run_step("background")
        rows.append((f"{BIG_ROWS} rows, background path", f"{s:.1f} s, +{mb:.0f} MB peak, {note}"))
    report(f"import of {ROWS} customers (.xlsx)", rows)


if __name__ == "__main__":
    main()
