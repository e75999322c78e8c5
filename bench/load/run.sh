#!/usr/bin/env bash
# make bench-load: the load benchmark with Locust against the server `make run
# WORKERS=N` starts (same configuration: write_server_conf in common.sh), on a
# database of its own, loopback only; then part of the fault scenarios
# (bench/faults/run.sh) when present.
#
# With 4 workers: (a) 50 portal users of 10 customers, 2 s of think time, for
#   LOAD_MEMORY_SECONDS (default 300; the workers' memory is sampled all along),
#   then 20 of them without think time (saturation: Odoo queues 8 connections per
#   worker, more users only overflow that queue); (b) 10 staff users
#   creating, searching and editing customers through JSON-RPC with colliding
#   e-mails and documents; (c) 5 users pressing the lupa against a local fake
#   provider limited to 60 requests per minute. With 1 worker: (a) again, for
#   the throughput ratio. Figures: bench/out/load/report.md.
# Env: LOAD_DB (default clientes_aduanas_load), LOAD_PORT (8269), LOAD_FAKE_PORT,
# LOAD_MEMORY_SECONDS, LOAD_NOTHINK_SECONDS (60), LOAD_STAFF_SECONDS (120),
# LOAD_LUPA_SECONDS (150), LOAD_WORKERS (default "4 1"), LOAD_ONLY (a regular
# expression: only the scenarios whose label matches, e.g. "w4-staff", the
# others' results are kept); GEVENT_PORT as for run.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
setup_all
check_web_client "$ODOO_SRC"

DB="${LOAD_DB:-clientes_aduanas_load}"
PORT="${LOAD_PORT:-8269}"
FAKE_PORT="${LOAD_FAKE_PORT:-$((PORT + 11))}"
MEMORY_SECONDS="${LOAD_MEMORY_SECONDS:-300}"
NOTHINK_SECONDS="${LOAD_NOTHINK_SECONDS:-60}"
STAFF_SECONDS="${LOAD_STAFF_SECONDS:-120}"
LUPA_SECONDS="${LOAD_LUPA_SECONDS:-150}"
WORKER_RUNS="${LOAD_WORKERS:-4 1}"
OUT="$ROOT/bench/out/load"
LOAD_VENV="$VAR_DIR/venv-load"
CONF="$VAR_DIR/$DB.conf"
LOG="$VAR_DIR/$DB-server.log"
mkdir -p "$OUT"
[ -n "${LOAD_ONLY:-}" ] || rm -f "$OUT"/*.csv "$OUT"/*.json "$OUT"/*.log "$OUT"/*.txt "$OUT"/*.conf

# Locust in a virtualenv of its own: the project's is fingerprinted on the
# root requirements files and never gets benchmark tools.
want=$(sha256sum "$ROOT/bench/requirements-load.txt" | cut -c1-16)
if [ ! -f "$LOAD_VENV/.load-$want" ]; then
  info "installing Locust into $LOAD_VENV (bench/requirements-load.txt)"
  "$(find_python)" -m venv "$LOAD_VENV"
  "$LOAD_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/bench/requirements-load.txt"
  rm -f "$LOAD_VENV"/.load-*; touch "$LOAD_VENV/.load-$want"
fi

# The database: the addons without demo data, then the benchmark's own data.
write_server_conf "$CONF" "$DB" "$PORT" 0 warn
if PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$DB" -qAtc \
    "select 1 from ir_module_module where name = 'clientes_aduanas' and state = 'installed'" 2>/dev/null | grep -q 1; then
  info "updating $ADDONS in $DB"
  odoo_bin -c "$CONF" -d "$DB" -u "$ADDONS" --stop-after-init --no-http >"$VAR_DIR/$DB-install.log" 2>&1 ||
    { tail -30 "$VAR_DIR/$DB-install.log"; die "updating the addons failed"; }
else
  info "creating $DB with $ADDONS (log: $VAR_DIR/$DB-install.log)"
  drop_db "$DB"
  odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init --no-http >"$VAR_DIR/$DB-install.log" 2>&1 ||
    { tail -30 "$VAR_DIR/$DB-install.log"; die "installing the addons failed"; }
fi
info "load data (10 customers x 200 files, 50 portal users, 10 staff, 5 lupa users)"
"$VENV/bin/python" "$ROOT/bench/load/setup_data.py" "$CONF" "$DB" "$OUT/fixture.json" "$FAKE_PORT"

SERVER_PID= FAKE_PID= MEM_PID=
cleanup() {
  local p
  for p in $MEM_PID $SERVER_PID $FAKE_PID; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $SERVER_PID; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

"$LOAD_VENV/bin/python" "$ROOT/bench/load/fake_provider.py" "$FAKE_PORT" &
FAKE_PID=$!

start_server() {  # start_server WORKERS
  write_server_conf "$CONF" "$DB" "$PORT" "$1" info
  info "starting Odoo with workers = $1 on 127.0.0.1:$PORT (log: $LOG)"
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" >>"$LOG" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || die "Odoo stopped at start (log: $LOG)"
    sleep 1
  done
  die "Odoo did not answer on port $PORT within 120 s (log: $LOG)"
}

login_users() {
  # Sessions made once (kept across restarts); checking them warms the workers.
  info "logging the users in (sessions in $VAR_DIR/$DB-sessions.json)"
  "$LOAD_VENV/bin/python" "$ROOT/bench/load/login.py" "http://127.0.0.1:$PORT" "$OUT/fixture.json" \
    "$VAR_DIR/$DB-sessions.json" || die "logging the load users in failed"
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

scenario() {  # scenario LABEL CLASS USERS SECONDS THINK
  local label=$1 class=$2 users=$3 seconds=$4 think=$5
  [[ "$label" =~ ${LOAD_ONLY:-.} ]] || return 0
  info "$label: $users x $class, ${seconds} s, think ${think} s"
  cut -d' ' -f1-3 /proc/loadavg > "$OUT/$label-loadavg-start.txt"
  LOAD_FIXTURE="$OUT/fixture.json" LOAD_SESSIONS="$VAR_DIR/$DB-sessions.json" LOAD_THINK="$think" LOAD_RESULTS="$OUT/$label-checks.json" \
    "$LOAD_VENV/bin/locust" -f "$ROOT/bench/load/locustfile.py" --headless --only-summary \
    -u "$users" -r 10 -t "${seconds}s" --stop-timeout 15 --exit-code-on-error 0 \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/$label" "$class" >"$OUT/$label.log" 2>&1 ||
    { tail -20 "$OUT/$label.log"; die "locust failed ($label)"; }
  cut -d' ' -f1-3 /proc/loadavg > "$OUT/$label-loadavg-end.txt"
}

for workers in $WORKER_RUNS; do
  start_server "$workers"
  login_users
  if [[ "w$workers-portal" =~ ${LOAD_ONLY:-.} ]]; then
    "$LOAD_VENV/bin/python" "$ROOT/bench/load/memwatch.py" "$SERVER_PID" "$OUT/w$workers-memory.json" 5 &
    MEM_PID=$!
  fi
  if [ "$workers" -gt 1 ]; then seconds=$MEMORY_SECONDS; else seconds=$(( MEMORY_SECONDS < 120 ? MEMORY_SECONDS : 120 )); fi
  scenario "w$workers-portal" PortalUser 50 "$seconds" 2
  [ -z "$MEM_PID" ] || { kill -TERM "$MEM_PID"; wait "$MEM_PID" || true; MEM_PID=; }
  scenario "w$workers-portal-nothink" PortalUser 20 "$NOTHINK_SECONDS" 0
  if [ "$workers" -gt 1 ]; then
    scenario "w$workers-staff" StaffUser 10 "$STAFF_SECONDS" 0
    scenario "w$workers-lupa" LupaUser 5 "$LUPA_SECONDS" 0
    if [[ "w$workers-lupa" =~ ${LOAD_ONLY:-.} ]]; then
      curl -fs "http://127.0.0.1:$FAKE_PORT/__stats" > "$OUT/w$workers-provider.json"
    fi
  fi
  cp "$CONF" "$OUT/w$workers-odoo.conf"
  stop_server
done

"$VENV/bin/python" "$ROOT/bench/load/report.py" "$OUT" "$CONF" "$LOG" | tee "$OUT/report.md"

if [ -f "$ROOT/bench/faults/run.sh" ]; then
  info "fault scenarios (bench/faults/run.sh)"
  bash "$ROOT/bench/faults/run.sh"
fi
