#!/usr/bin/env bash
# make run: demo database with the addon and demo customers, served on
# http://localhost:8069 (login admin / admin).
# WORKERS=4 (make run WORKERS=4) serves as in production: prefork workers,
# the bus on GEVENT_PORT, cron workers and queue_job's runner (see
# write_server_conf in common.sh and deploy/odoo.conf). Default: threaded.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
check_web_client "$ODOO_SRC"

DB="${RUN_DB:-clientes_aduanas_demo}"
PORT="${HTTP_PORT:-8069}"
WORKERS="${WORKERS:-0}"
CONF="$VAR_DIR/$DB.conf"
write_server_conf "$CONF" "$DB" "$PORT" "$WORKERS" info
ensure_demo_db "$CONF" "$DB"
if [ "$WORKERS" -gt 0 ]; then
  info "Odoo on http://localhost:$PORT with $WORKERS workers (bus on port $(sed -n 's/^gevent_port = //p' "$CONF"): behind a proxy, route /websocket there; see deploy/)"
fi
info "Odoo on http://localhost:$PORT  database $DB  login admin / admin  (Ctrl-C stops it)"
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --http-interface=127.0.0.1
