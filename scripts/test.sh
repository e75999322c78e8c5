#!/usr/bin/env bash
# make test: fresh database, addon installed, whole suite through pytest-odoo.
# Usage: scripts/test.sh [pytest args...]   (default: the addon's tests/)
# Env: TEST_DB (default clientes_aduanas_test), KEEP_DB=1 reuses an existing
# database and only updates the addon (fast loop while developing).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
# Without arguments the whole suite runs, browser tests included; with pytest
# arguments (a quick loop) the browser phase runs only when HTTP_TAGS is set.
if [ $# = 0 ] || [ -n "${HTTP_TAGS:-}" ]; then
  RUN_HTTP=1
  check_web_client "$ODOO_SRC"
  ensure_browser
else
  RUN_HTTP=0
fi

DB="${TEST_DB:-clientes_aduanas_test}"
CONF="$VAR_DIR/$DB.conf"
write_odoo_conf "$CONF" "$ODOO_SRC" "$DB"
LOG="$VAR_DIR/$DB-install.log"

db_exists() {
  PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qAtc \
    "select 1 from pg_database where datname = '$1'" | grep -q 1
}

if [ "${KEEP_DB:-0}" = 1 ] && db_exists "$DB"; then
  info "updating $ADDONS in existing database $DB"
  odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" -u "$ADDONS" --stop-after-init --no-http >"$LOG" 2>&1 ||
    { tail -40 "$LOG"; die "updating the addon failed (full log: $LOG)"; }
else
  info "creating database $DB and installing $ADDONS (log: $LOG)"
  drop_db "$DB"
  # Demo data off: tests build their own records in setUpClass. The demo
  # files are loaded and checked by a test of their own.
  odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init --no-http >"$LOG" 2>&1 ||
    { tail -40 "$LOG"; die "installing the addon failed (full log: $LOG)"; }
  # es_PE cannot be loaded with --load-language in this Odoo build; the
  # language wizard works once the database exists.
  odoo_bin shell -c "$CONF" -d "$DB" --no-http >>"$LOG" 2>&1 <<'PY' || { tail -20 "$LOG"; die "installing es_PE failed (log: $LOG)"; }
lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "es_PE")])
env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)], "overwrite": True}).lang_install()
env.cr.commit()
PY
fi
if grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG"; then
  grep -E "(ERROR|CRITICAL) " "$LOG" | head -20
  die "errors while installing the addon (log: $LOG)"
fi

info "running tests with pytest-odoo on database $DB"
# shellcheck disable=SC2046
[ $# -gt 0 ] || set -- $(addon_test_dirs)
cd "$ROOT"
set +e
PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" -m pytest \
  --odoo-config="$CONF" --odoo-database="$DB" -p no:cacheprovider -p pytest_no_http \
  "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  die "pytest collected no test: the suite must not be empty"
fi

http_rc=0
if [ "$RUN_HTTP" = 1 ]; then
  # HttpCase tests (tours in Chromium, portal routes) need Odoo's HTTP server,
  # which pytest-odoo does not start: Odoo's own runner runs them.
  port=${HTTP_TEST_PORT:-$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  info "running browser/HTTP tests (tours) with Odoo's runner on database $DB, port $port"
  set +e
  "$VENV/bin/python" "$ROOT/scripts/run_http_tests.py" -c "$CONF" -d "$DB" --http-port="$port" \
    --test-tags="${HTTP_TAGS:-clientes_aduanas_http,/account:TestAccountMoveOutInvoiceOnchanges}" --log-level=warn
  http_rc=$?
  set -e
fi
[ "$rc" = 0 ] || die "pytest-odoo tests failed (exit $rc)"
[ "$http_rc" = 0 ] || die "browser/HTTP tests failed (exit $http_rc)"
exit 0
