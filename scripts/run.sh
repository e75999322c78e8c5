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
LOG="$VAR_DIR/$DB-install.log"

if ! PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$DB" -qAtc \
    "select 1 from ir_module_module where name = 'clientes_aduanas' and state = 'installed'" 2>/dev/null | grep -q 1; then
  info "creating demo database $DB (log: $LOG)"
  drop_db "$DB"
  odoo_bin -c "$CONF" -d "$DB" -i clientes_aduanas --stop-after-init --no-http >"$LOG" 2>&1 ||
    { tail -40 "$LOG"; die "installing the addon failed (log: $LOG)"; }
  odoo_bin shell -c "$CONF" -d "$DB" --no-http >>"$LOG" 2>&1 <<'PY'
for code in ("es_PE", "es_HN"):
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", code)])
    env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)], "overwrite": True}).lang_install()
env.ref("base.user_admin").lang = "es_PE"
env.cr.commit()
PY
else
  info "updating clientes_aduanas in $DB"
  odoo_bin -c "$CONF" -d "$DB" -u clientes_aduanas --stop-after-init --no-http >"$LOG" 2>&1 ||
    { tail -40 "$LOG"; die "updating the addon failed (log: $LOG)"; }
fi
info "Odoo on http://localhost:$PORT  database $DB  login admin / admin  (Ctrl-C stops it)"
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --http-interface=127.0.0.1
