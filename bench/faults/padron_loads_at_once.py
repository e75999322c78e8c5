"""Fault: two administrators load the SUNAT padrón at once.

A first load of a generated padrón (real transaction, committed) runs in one
thread; once it has begun, a second load starts in another. Expected: the
second is refused at once, in Spanish, with no serialization or lock error
in the log; lookups keep answering from the padrón in use during the first
load; the first completes."""

import os
import tempfile
import threading
import time
import zipfile

from common import ErrorLog, ensure_spanish, env_for, outcome, registry
from stdnum.pe import ruc as pe_ruc

from odoo.exceptions import UserError

ROWS = int(os.environ.get("FAULT_PADRON_ROWS", 300_000))


def make_ruc(i):
    body = f"20{i:08d}"
    return body + pe_ruc.calc_check_digit(body)


def write_padron(path, rows, name):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = ["RUC|NOMBRE|ESTADO|CONDICION|UBIGEO|" + "|" * 10]
        lines += [f"{make_ruc(i)}|{name} {i} S.A.C.|ACTIVO|HABIDO|150131|AV.|LIMA|-|-|{i}|-|-|-|-|-|" for i in rows]
        archive.writestr("padron_reducido_ruc.txt", ("\r\n".join(lines) + "\r\n").encode("latin-1"))


def prepare_padrons(reg, prefix, lang="es_PE"):
    """anterior.zip (1,000 rows, loaded and committed: the padrón in use) and
    nuevo.zip (ROWS rows, the load the scenario disturbs) in a new padrón
    directory. Returns the padrón provider's id and the directory."""
    directory = tempfile.mkdtemp(prefix=prefix)
    write_padron(os.path.join(directory, "anterior.zip"), range(1, 1001), "ANTERIOR")
    write_padron(os.path.join(directory, "nuevo.zip"), range(1, ROWS + 1), "NUEVO")
    with reg.cursor() as cr:
        env = env_for(cr, lang)
        env["ir.config_parameter"].set_param("clientes_aduanas.padron_directory", directory)
        provider = env.ref("clientes_aduanas.lookup_provider_padron")
        provider._load_padron_file("anterior.zip")
        cr.commit()
        return provider.id, directory


def main():
    reg = registry()
    ensure_spanish(reg)
    provider_id, _directory = prepare_padrons(reg, "padron_fault_")

    first = {}

    def first_load():
        start = time.monotonic()
        try:
            with reg.cursor() as cr:
                stats = env_for(cr)["document.lookup.provider"].browse(provider_id)._load_padron_file("nuevo.zip")
                cr.commit()
                first["result"] = f"completed: {stats.loaded} rows in {time.monotonic() - start:.1f} s"
        except Exception as err:
            first["result"] = f"FAILED: {err}"

    with ErrorLog() as errors:
        thread = threading.Thread(target=first_load)
        thread.start()
        time.sleep(3)  # the first load is in its COPY
        start = time.monotonic()
        try:
            with reg.cursor() as cr:
                env_for(cr)["document.lookup.provider"].browse(provider_id)._load_padron_file("nuevo.zip")
            second = "NOT REFUSED"
        except UserError as err:
            second = f"refused in {time.monotonic() - start:.2f} s: «{err.args[0]}»"
        with reg.cursor() as cr:
            env = env_for(cr)
            start = time.monotonic()
            found = env["document.lookup.provider"].browse(provider_id)._lookup_sunat_padron("pe_ruc", make_ruc(7))
            during = f"{found['name']} in {(time.monotonic() - start) * 1000:.1f} ms (the padrón in use)"
        thread.join(600)
    with reg.cursor() as cr:
        after = env_for(cr)["document.lookup.provider"].browse(provider_id)._lookup_sunat_padron("pe_ruc", make_ruc(7))
    outcome(
        "Two padrón loads at once",
        [
            ("first load", first.get("result", "still running")),
            ("second load (started 3 s later)", second),
            ("lookup during the first load", during),
            ("lookup after it", after["name"]),
            ("ERROR lines in the server log", str(len(errors.records)) + "".join(f"\n    {x}" for x in errors.lines())),
        ],
    )


if __name__ == "__main__":
    main()
