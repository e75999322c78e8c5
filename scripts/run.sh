#!/usr/bin/env bash
# make run: demo database with the addon and demo customers, served on
# http://localhost:8069 (login admin / admin).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
check_web_client "$ODOO_SRC"

DB="${RUN_DB:-clientes_aduanas_demo}"
PORT="${HTTP_PORT:-8069}"
CONF="$VAR_DIR/$DB.conf"
write_odoo_conf "$CONF" "$ODOO_SRC" "$DB" info
cat >> "$CONF" <<CONF
http_port = $PORT
server_wide_modules = base,web,queue_job

[queue_job]
channels = root:1
CONF
ensure_demo_db "$CONF" "$DB"
info "Odoo on http://localhost:$PORT  database $DB  login admin / admin  (Ctrl-C stops it)"
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --http-interface=127.0.0.1
