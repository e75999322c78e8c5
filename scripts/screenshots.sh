#!/usr/bin/env bash
# make screenshots: the demo database (as make run builds it) served on a port
# of its own, the main screens opened in headless Chromium, PNGs written to
# docs/screenshots/. Env: RUN_DB (default clientes_aduanas_demo),
# SCREENSHOT_PORT (default: a free port).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
check_web_client "$ODOO_SRC"
ensure_browser

DB="${RUN_DB:-clientes_aduanas_demo}"
PORT=${SCREENSHOT_PORT:-$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
CONF="$VAR_DIR/$DB-screenshots.conf"
write_odoo_conf "$CONF" "$ODOO_SRC" "$DB" warn
ensure_demo_db "$CONF" "$DB"

info "serving $DB on 127.0.0.1:$PORT for the screenshots"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --http-port="$PORT" \
  >"$VAR_DIR/$DB-screenshots.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
"$VENV/bin/python" "$ROOT/scripts/screenshots.py" --url "http://127.0.0.1:$PORT" --db "$DB" \
  --browser "$(find_browser)" --out "$ROOT/docs/screenshots"
