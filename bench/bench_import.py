"""Issue 6 benchmark, one run on the same generated 10,000-row .xlsx of
valid customers:

(a) preview: the Preview button (read, check every row, match), nothing written
(b) import: the Import button, validations included, written in one transaction
(c) Odoo's own base_import of the same rows into res.partner (registered
    customers, relations given as database ids: its cheapest path)
(d) plain batched res.partner.create of the same values (no customer rules)
(e) mapping a 30-column header (synonyms, Odoo's field labels in es_PE and
    en_US, the saved mappings): what the column mapping adds to a file

then the background path (OCA queue_job; the jobs run in this process like
the job runner runs them, each with a fresh cache) on 10,000 and on 100,000
rows: peak memory should not grow with the file.

Each measure runs in its own process (fresh registry); peak memory is the
process's VmHWM, reset just before the measured step, minus its RSS then.
Everything is rolled back.
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
BIG_XLSX = f"/tmp/clientes_aduanas_bench_{BIG_ROWS}_customers_contacts.xlsx"
MID_XLSX = f"/tmp/clientes_aduanas_bench_{ROWS}_customers_contacts.xlsx"


def _status_mb(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class Memory:
    """Peak resident memory of the measured step alone."""

    def __enter__(self):
        self.base = _status_mb("VmRSS")
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")  # reset VmHWM
            self.reset = True
        except OSError:
            self.reset = False
        return self

    def __exit__(self, *exc):
        self.peak = _status_mb("VmHWM") if self.reset else peak_rss_mb()
        self.mb = self.peak - self.base


def wizard(env, path, filename="clientes.xlsx"):
    with open(path, "rb") as handle:
        data = handle.read()
    return env["customer.import.wizard"].create({"file": base64.b64encode(data), "filename": filename})


def step_preview():
    with odoo_env() as env:
        record = wizard(env, XLSX)
        with Memory() as memory:
            start = time.perf_counter()
            record.action_preview()
            elapsed = time.perf_counter() - start
        return elapsed, memory.mb, f"{record.count_total} rows, {record.count_error} with errors"


def step_import():
    with odoo_env() as env:
        record = wizard(env, XLSX)
        with Memory() as memory:
            start = time.perf_counter()
            record.action_import()
            env.flush_all()
            elapsed = time.perf_counter() - start
        return elapsed, memory.mb, f"{record.result_created} created, {record.result_skipped} skipped"


def _checked_values(env):
    """The values the import writes, computed outside the timer."""
    return [row["vals"] for row in env["customer.import.engine"]._analyse(wizard(env, XLSX)._source())["rows"]]


def step_mapping():
    """A user's own 30-column header: 21 columns under synonyms, 9 more
    unknown. First call (cold caches, as a new worker) and median of the
    next ones; the Odoo label caches are cleared before the cold call."""
    with odoo_env() as env:
        from odoo.addons.clientes_aduanas.tools import customer_schema as schema

        synonyms = [c.synonyms[0] if c.synonyms else c.header for c in schema.CUSTOMER_COLUMNS]
        header = [*synonyms, *[f"Columna propia {i}" for i in range(30 - len(synonyms))]]
        engine, mappings = env["customer.import.engine"], env["customer.import.mapping"]
        env.registry.clear_cache()

        def once():
            index = engine._synonyms(schema.CUSTOMER_COLUMNS)
            saved = mappings._choices_for("Clientes", schema.signature(header))
            return schema.match_headers(header, schema.CUSTOMER_COLUMNS, index, saved)

        start = time.perf_counter()
        match = once()
        cold = time.perf_counter() - start
        times = []
        for _i in range(50):
            start = time.perf_counter()
            once()
            times.append(time.perf_counter() - start)
        times.sort()
        note = f"cold {cold * 1000:.1f} ms; {len(match.mapping)} mapped, {len(match.unknown)} unknown"
        return times[len(times) // 2], 0, note


def step_plain_create():
    with odoo_env() as env:
        values = [{k: v for k, v in vals.items() if k != "is_registered_customer"} for vals in _checked_values(env)]
        with Memory() as memory:
            start = time.perf_counter()
            for index in range(0, len(values), 2000):
                env["res.partner"].create(values[index : index + 2000])
            env.flush_all()
            elapsed = time.perf_counter() - start
        return elapsed, memory.mb, f"{len(values)} partners"


def step_base_import():
    with odoo_env() as env:
        values = _checked_values(env)
        columns = [
            "name",
            "vat",
            "street",
            "city",
            "email",
            "phone",
            "is_company",
            "detraction_required",
            "phone_is_whatsapp",
            "is_registered_customer",
        ]
        relations = [
            "country_id",
            "state_id",
            "l10n_latam_identification_type_id",
            "customer_category_id",
            "customer_class_id",
        ]
        header = columns + [f"{name}/.id" for name in relations]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for vals in values:
            writer.writerow(
                [
                    ("1" if vals.get(c) else "0")
                    if c.endswith(("_company", "_required", "_whatsapp", "_customer"))
                    else vals.get(c) or ""
                    for c in columns
                ]
                + [vals.get(name) or "" for name in relations]
            )
        data = out.getvalue().encode()
        with Memory() as memory:
            start = time.perf_counter()
            importer = env["base_import.import"].create(
                {"res_model": "res.partner", "file": data, "file_type": "text/csv", "file_name": "clientes.csv"}
            )
            result = importer.execute_import(
                header, header, {"quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8"}
            )
            env.flush_all()
            elapsed = time.perf_counter() - start
        messages = [m["message"] for m in result.get("messages", [])][:2]
        return elapsed, memory.mb, f"{len(result.get('ids') or [])} partners {messages or ''}"


def _background(path, threshold):
    """Confirm a file above the threshold (checks it, stores the chunks,
    enqueues the jobs), then run the jobs the way the job runner does: one
    after the other once their dependencies are done, each with a fresh
    cache as in its own transaction."""
    from odoo.addons.queue_job.job import Job

    with odoo_env(context={"customer_import_background_threshold": threshold}) as env:
        record = wizard(env, path)
        with Memory() as memory:
            start = time.perf_counter()
            record.action_import()
            env.flush_all()
            confirmed = time.perf_counter() - start
            env.invalidate_all()
            queued = env["queue.job"].search(
                [("model_name", "in", ("customer.import.job", "customer.import.job.chunk"))], order="id"
            )
            done, pending = set(), list(queued)
            while pending:
                for queued_job in [q for q in pending if set(q.dependencies.get("depends_on", [])) <= done]:
                    Job.load(env, queued_job.uuid).perform()
                    env.flush_all()
                    env.invalidate_all()
                    done.add(queued_job.uuid)
                    pending.remove(queued_job)
            elapsed = time.perf_counter() - start
        job = record.job_id
        note = (
            f"confirm {confirmed:.1f} s + {len(queued)} jobs {elapsed - confirmed:.1f} s: "
            f"{job.created_count} created, {job.contact_count} contacts, "
            f"{job.failed_chunk_count} chunks failed, state {job.state}; process peak RSS {memory.peak:.0f} MB"
        )
        return elapsed, memory.mb, note


def step_background_mid():
    return _background(MID_XLSX, threshold=1000)


def step_background_big():
    return _background(BIG_XLSX, threshold=10_000)


STEPS = {
    "preview": step_preview,
    "import": step_import,
    "base_import": step_base_import,
    "plain_create": step_plain_create,
    "mapping": step_mapping,
    "background_mid": step_background_mid,
    "background_big": step_background_big,
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
        print(f"RESULT {seconds:.6f}|{megabytes:.0f}|{note}")
        return
    if not os.path.exists(XLSX):
        write(ROWS, XLSX, with_contacts=False)  # (c) and (d) know nothing of contacts
    results = {name: run_step(name) for name in ("preview", "import", "base_import", "plain_create", "mapping")}
    a, b, c, d, e = (results[n][0] for n in ("preview", "import", "base_import", "plain_create", "mapping"))
    rows = [(name, f"{s:.2f} s, peak +{mb:.0f} MB, {note}") for name, (s, mb, note) in results.items()]
    rows += [
        ("(a) preview, target < 3 s", f"{a:.2f} s"),
        ("(c)/(b) base_import vs import, target >= 1.5", f"{c / b:.2f}x"),
        ("(d)/(b) plain create vs import, target >= 1.0", f"{d / b:.2f}x"),
        ("import peak memory, target < 300 MB", f"+{results['import'][1]:.0f} MB"),
        ("(e) mapping a 30-column header, target < 50 ms", f"{e * 1000:.2f} ms median ({results['mapping'][2]})"),
        ("(e)/(a) share of the preview", f"{100 * e / a:.3f} %"),
    ]
    if BIG_ROWS:
        for path, rows_count in ((MID_XLSX, ROWS), (BIG_XLSX, BIG_ROWS)):
            if not os.path.exists(path):
                write(rows_count, path)  # with contacts: one customer in ten has one
        for name, rows_count in (("background_mid", ROWS), ("background_big", BIG_ROWS)):
            s, mb, note = run_step(name)
            rows.append((f"background path, {rows_count} rows", f"{s:.1f} s, peak +{mb:.0f} MB, {note}"))
    report(f"import of {ROWS} customers (.xlsx)", rows)


if __name__ == "__main__":
    main()
