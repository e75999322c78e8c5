"""Fault: PostgreSQL restarts in the middle of a padrón load (a private
cluster, see postgres_restart.sh).

Expected: the load fails (its transaction is gone), the padrón in use is the
previous one and lookups answer from it once the server is back; the next
daily run lists the load as interrupted and loads the file."""

import os
import shlex
import subprocess
import threading
import time

from common import env_for, outcome, registry
from padron_loads_at_once import ROWS, make_ruc, prepare_padrons

import odoo


def restart_postgres():
    command = shlex.split(os.environ["FAULT_PG_RESTART"])
    if os.environ.get("FAULT_PG_AS_POSTGRES"):
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


def main():
    reg = registry()
    provider_id, directory = prepare_padrons(reg, "padron_restart_", "en_US")
    first = {}

    def load():
        try:
            with reg.cursor() as cr:
                env_for(cr, "en_US")["document.lookup.provider"].browse(provider_id)._load_padron_file("nuevo.zip")
                cr.commit()
            first["result"] = "completed (the restart came too late)"
        except Exception as err:
            first["result"] = f"failed: {type(err).__name__}: {str(err).splitlines()[0][:120]}"

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(4)
    start = time.monotonic()
    restart_postgres()
    restarted = time.monotonic() - start
    thread.join(600)
    odoo.sql_db.close_all()  # connections of the pool died with the server
    with reg.cursor() as cr:
        env = env_for(cr, "en_US")
        during = env["document.lookup.provider"].browse(provider_id)._lookup_sunat_padron("pe_ruc", make_ruc(7))
        cr.execute("SELECT count(*) FROM clientes_aduanas_sunat_padron_attempt")
        left = cr.fetchone()[0]
    with reg.cursor() as cr:
        env = env_for(cr, "en_US")
        env["ir.config_parameter"].set_param("clientes_aduanas.padron_path", os.path.join(directory, "nuevo.zip"))
        env["document.lookup.provider"]._cron_refresh_padron()
        cr.commit()
    with reg.cursor() as cr:
        env = env_for(cr, "en_US")
        loads = env["sunat.padron.load"].search([], limit=2)
        after = env["document.lookup.provider"].browse(provider_id)._lookup_sunat_padron("pe_ruc", make_ruc(7))
        listed = "; ".join(f"{load.file_name}: {load.state}" for load in loads)
    outcome(
        "PostgreSQL restarted during a padrón load",
        [
            (f"load of {ROWS:,} rows", first.get("result")),
            ("restart (pg_ctl restart -m fast), 4 s into the load", f"{restarted:.1f} s"),
            ("lookup once PostgreSQL is back", f"{during['name']} (the previous padrón)"),
            ("load attempts left recorded", str(left)),
            ("next daily run", f"loads listed (newest first): {listed}"),
            ("lookup after it", after["name"]),
        ],
    )


if __name__ == "__main__":
    main()
