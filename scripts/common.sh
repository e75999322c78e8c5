#!/usr/bin/env bash
# Shared by run.sh, test.sh, lint.sh and the benchmarks: finds Python, Odoo and
# PostgreSQL, and prepares the virtualenv. Sourced, never executed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR_DIR="$ROOT/.var"                 # ignored: configs, logs, private PG cluster
VENV="${VENV:-$ROOT/.venv}"
mkdir -p "$VAR_DIR"

die() { printf '\nERROR: %s\n' "$*" >&2; exit 2; }
info() { printf '==> %s\n' "$*" >&2; }

# The addons of this repository, as OCA lays them out: every folder at the
# root with a manifest. `make run` and `make test` install all of them.
ADDONS=$(for m in "$ROOT"/*/__manifest__.py; do basename "$(dirname "$m")"; done | paste -sd, -)
[ -n "$ADDONS" ] || { printf 'ERROR: no addon (folder with __manifest__.py) in %s\n' "$ROOT" >&2; exit 2; }
# Their test folders, for pytest-odoo.
addon_test_dirs() {
  local a
  for a in ${ADDONS//,/ }; do [ -d "$ROOT/$a/tests" ] && echo "$a/tests"; done
}

# ---------------------------------------------------------------- Python
find_python() {
  local c
  for c in "${PYTHON:-}" python3.11 python3.12 python3.10 python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    if "$c" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  die "Python 3.10-3.12 not found (Odoo 18.0 supports these). Install one or set PYTHON=/path/to/python3.11."
}

# ---------------------------------------------------------------- Odoo
# An Odoo 18.0 source tree: $ODOO_SRC, else an importable `odoo` package, else
# the usual install places. We never ship or build Odoo ourselves.
is_odoo18_tree() {
  [ -f "$1/odoo/release.py" ] && [ -d "$1/odoo/addons/base" ] &&
    grep -qE "^version_info = \(18, 0," "$1/odoo/release.py"
}

# Where a fresh machine gets Odoo: a shallow clone of the official 18.0 branch
# (a git clone carries the web client's libraries; the nightly archive does
# not) into the ignored state folder. Tests point these at a local repository.
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo}"
ODOO_GIT_REF="${ODOO_GIT_REF:-18.0}"
ODOO_FETCH_DIR="${ODOO_FETCH_DIR:-$VAR_DIR/odoo-$ODOO_GIT_REF}"
# The usual install places, looked at after $ODOO_SRC and an importable odoo.
ODOO_SEARCH_PATHS="${ODOO_SEARCH_PATHS:-/opt/odoo-18.0 /opt/odoo18 /opt/odoo /usr/local/src/odoo /srv/odoo ${HOME:+$HOME/odoo-18.0 $HOME/odoo} $ROOT/../odoo}"

fetch_odoo() {
  local dest=$1 tmp
  command -v git >/dev/null || die "Odoo 18.0 not found and git is not installed to fetch it (Debian: apt-get install git), or set ODOO_SRC=/path/to/odoo."
  mkdir -p "$(dirname "$dest")"
  tmp="$dest.partial.$$"
  rm -rf "$tmp"
  info "Odoo 18.0 not found: fetching $ODOO_GIT_URL (branch $ODOO_GIT_REF, shallow) into $dest (once; about 1 GB)"
  # Into a temporary folder first: an interrupted clone is never taken for a tree.
  if ! git clone -q --depth 1 --branch "$ODOO_GIT_REF" "$ODOO_GIT_URL" "$tmp" >&2; then
    rm -rf "$tmp"
    die "could not fetch Odoo from $ODOO_GIT_URL (branch $ODOO_GIT_REF).
  Without network access, point to an existing Odoo 18.0 tree:  ODOO_SRC=/path/to/odoo make test"
  fi
  is_odoo18_tree "$tmp" && [ -f "$tmp/odoo-bin" ] || {
    rm -rf "$tmp"
    die "$ODOO_GIT_URL (branch $ODOO_GIT_REF) is not an Odoo 18.0 source tree (no odoo/release.py with version 18.0 or no odoo-bin)."
  }
  rm -rf "$dest"
  mv "$tmp" "$dest"
}

find_odoo() {
  local d py
  if [ -n "${ODOO_SRC:-}" ]; then
    is_odoo18_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (no odoo/release.py with version 18.0)."
    (cd "$ODOO_SRC" && pwd); return 0
  fi
  for py in "$VENV/bin/python" "$(find_python)"; do
    [ -x "$py" ] || continue
    d=$("$py" -c 'import os, odoo, odoo.release as r; assert r.version_info[:2] == (18, 0); print(os.path.dirname(os.path.dirname(odoo.__file__)))' 2>/dev/null) || continue
    is_odoo18_tree "$d" && { echo "$d"; return 0; }
  done
  for d in $ODOO_SEARCH_PATHS "$ODOO_FETCH_DIR"; do
    is_odoo18_tree "$d" && { (cd "$d" && pwd); return 0; }
  done
  # Looked at: $ODOO_SRC, an importable 'odoo' package, $ODOO_SEARCH_PATHS and
  # an earlier fetch. A fresh machine fetches it once.
  fetch_odoo "$ODOO_FETCH_DIR"
  (cd "$ODOO_FETCH_DIR" && pwd)
}

# The web client's third-party libraries (owl, bootstrap, ...) live in
# <addon>/static/lib. A git clone of Odoo has them; the nightly source archive
# of 2025-04-21 does not, and without them no screen (and no tour) loads.
check_web_client() {
  local d
  for d in "$1/addons/web" "$1/odoo/addons/web"; do
    [ -d "$d" ] || continue
    [ -d "$d/static/lib/owl" ] && return 0
    die "the Odoo tree at $1 has no web client libraries ($d/static/lib is missing).
  The tours and the web client need a complete Odoo 18.0 tree: a git clone has them
      git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo /opt/odoo-18.0
  (the nightly source archive does not ship the <addon>/static/lib folders)."
  done
  die "no 'web' addon found in the Odoo tree at $1"
}

# Chromium for the tours (Odoo's HttpCase drives it headless). Installed with
# apt when running as root on Debian; otherwise a clear stop, never a skip.
find_browser() {
  local b
  for b in google-chrome chromium chromium-browser google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }
  done
  return 1
}

ensure_browser() {
  find_browser >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    info "installing Chromium for the browser tests (apt-get install chromium)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$VAR_DIR/apt-chromium.log" 2>&1 ||
      die "could not install Chromium with apt (log: $VAR_DIR/apt-chromium.log); the tours need it."
  fi
  find_browser >/dev/null ||
    die "Chromium (or Google Chrome) not found: the tours in 'make test' need it. Debian: apt-get install chromium"
}

# ---------------------------------------------------------------- virtualenv
# Odoo's own requirements, adapted to what builds on Python 3.11 here:
# cbor2 5.4.2 does not build (a newer release works); python-ldap is only
# needed by auth_ldap and needs system headers.
odoo_requirements() {
  sed -e 's/^cbor2==5\.4\.2.*/cbor2>=5.6,<6/' -e '/^python-ldap/d' "$1/requirements.txt"
}

SETUPTOOLS_PIN="setuptools<81"
ensure_venv() {
  local odoo_src=$1 py stamp want
  py=$(find_python)
  [ -x "$VENV/bin/python" ] || { info "creating virtualenv $VENV"; "$py" -m venv "$VENV"; }
  want=$( { odoo_requirements "$odoo_src"; cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt"; echo "$odoo_src"; } | sha256sum | cut -c1-16)
  stamp="$VENV/.clientes_aduanas-$want"
  if [ ! -f "$stamp" ]; then
    info "installing Python dependencies into $VENV (only when requirements change)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip wheel "$SETUPTOOLS_PIN"
    odoo_requirements "$odoo_src" > "$VAR_DIR/odoo-requirements.txt"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      -r "$VAR_DIR/odoo-requirements.txt" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
    # OCA addons as packaged on PyPI; Odoo is not pip-installed, hence --no-deps.
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements-oca.txt"
    rm -f "$VENV"/.clientes_aduanas-*
    touch "$stamp"
  fi
  # gevent 22.10 (Odoo's pin; the bus process of `workers > 0`) imports
  # pkg_resources, which setuptools 81 dropped: without it the bus process
  # dies at start and is respawned forever.
  "$VENV/bin/python" -c 'import pkg_resources' >/dev/null 2>&1 ||
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$SETUPTOOLS_PIN"
  # Make the found Odoo importable (pytest-odoo imports it) without copying it.
  local site
  site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$odoo_src" > "$site/odoo-src.pth"
}

oca_addons_path() {
  "$VENV/bin/python" - <<'PY'
import os, sysconfig
p = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
print(p if os.path.isdir(p) else "")
PY
}

# ---------------------------------------------------------------- PostgreSQL
# Odoo refuses the `postgres` superuser, so it connects as a dedicated role.
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
DB_USER="${DB_USER:-odoo}"
DB_PASSWORD="${DB_PASSWORD:-odoo}"
export PGHOST PGPORT

pg_answers() {
  pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null
}

pg_admin_psql() {
  # Runs psql as a PostgreSQL superuser of the cluster we started or found.
  if [ -n "${PRIVATE_PG:-}" ]; then
    psql -h "$VAR_DIR/pg" -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- env -u PGHOST psql -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  else
    sudo -n -u postgres env -u PGHOST psql -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  fi
}

ensure_postgres() {
  command -v pg_isready >/dev/null || die "PostgreSQL client tools not found. Install PostgreSQL 13+ (Debian: apt-get install postgresql)."
  if ! pg_answers; then
    if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null; then
      # Debian's cluster: pg_ctlcluster runs the server as the postgres user,
      # which is what PostgreSQL requires (it refuses to run as root).
      local ver name
      read -r ver name < <(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p {print $1, $2; exit}')
      [ -n "${ver:-}" ] || die "no PostgreSQL cluster on port $PGPORT (pg_lsclusters). Create one: pg_createcluster 15 main --start"
      info "starting PostgreSQL cluster $ver/$name on port $PGPORT"
      pg_ctlcluster "$ver" "$name" start || die "could not start PostgreSQL $ver/$name; see /var/log/postgresql/"
    elif [ "$(id -u)" != 0 ]; then
      # Not root: a private cluster owned by the current user, under .var/.
      local bindir
      bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
      [ -n "$bindir" ] || bindir=$(dirname "$(command -v initdb || echo /nonexistent/x)")
      [ -x "$bindir/initdb" ] || die "PostgreSQL server binaries (initdb) not found and no server answers on $PGHOST:$PGPORT."
      PRIVATE_PG=1; export PRIVATE_PG
      if [ ! -f "$VAR_DIR/pgdata/PG_VERSION" ]; then
        info "initialising a private PostgreSQL cluster in $VAR_DIR/pgdata"
        "$bindir/initdb" -q -D "$VAR_DIR/pgdata" -U "$(id -un)" --auth=trust >/dev/null
      fi
      mkdir -p "$VAR_DIR/pg"
      "$bindir/pg_ctl" -D "$VAR_DIR/pgdata" -l "$VAR_DIR/pg.log" -w \
        -o "-p $PGPORT -k $VAR_DIR/pg -c listen_addresses=127.0.0.1" start >/dev/null ||
        die "could not start the private PostgreSQL cluster; see $VAR_DIR/pg.log"
    else
      die "no PostgreSQL server answers on $PGHOST:$PGPORT and none could be started."
    fi
    local i
    for i in $(seq 1 30); do pg_answers && break; sleep 1; done
    pg_answers || die "PostgreSQL did not come up on $PGHOST:$PGPORT."
  fi
  # The role Odoo uses: may create databases, is not a superuser.
  if ! PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qAtc 'select 1' >/dev/null 2>&1; then
    info "creating PostgreSQL role $DB_USER (CREATEDB, not superuser)"
    pg_admin_psql -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
          CREATE ROLE \"$DB_USER\" LOGIN CREATEDB NOSUPERUSER PASSWORD '$DB_PASSWORD';
        ELSE
          ALTER ROLE \"$DB_USER\" LOGIN CREATEDB NOSUPERUSER PASSWORD '$DB_PASSWORD';
        END IF; END \$\$;" ||
      die "could not create the PostgreSQL role $DB_USER; create it yourself: CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '...'"
    PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qAtc 'select 1' >/dev/null ||
      die "PostgreSQL role $DB_USER cannot log in on $PGHOST:$PGPORT (check pg_hba.conf)."
  fi
}

# ---------------------------------------------------------------- Odoo config
write_odoo_conf() {
  local conf=$1 odoo_src=$2 db=$3 log_level=${4:-warn} paths d
  paths="$odoo_src/odoo/addons"
  [ -d "$odoo_src/addons" ] && paths="$paths,$odoo_src/addons"
  d=$(oca_addons_path); [ -n "$d" ] && paths="$paths,$d"
  cat > "$conf" <<CONF
[options]
addons_path = $paths,$ROOT
data_dir = $VAR_DIR/filestore
db_host = $PGHOST
db_port = $PGPORT
db_user = $DB_USER
db_password = $DB_PASSWORD
db_name = $db
dbfilter = ^$db\$
list_db = False
without_demo = False
http_interface = 127.0.0.1
log_level = $log_level
CONF
}

# The server's own settings, on top of write_odoo_conf: `make run`, the load
# benchmarks and the fault scripts all serve from a file written here, so what
# is measured is what `make run WORKERS=N` serves (deploy/odoo.conf explains
# each value for a company's server).
#   write_server_conf CONF DB HTTP_PORT WORKERS [LOG_LEVEL]
# WORKERS=0: one threaded process (development); N > 0: N prefork HTTP workers,
# a gevent process for the web client's bus on GEVENT_PORT (default
# HTTP_PORT + 3, as 8069/8072), cron workers, and queue_job's runner with a
# channel of its own for imports. Overrides: GEVENT_PORT, MAX_CRON_THREADS,
# QUEUE_JOB_CHANNELS.
server_job_channels() {
  # Jobs run as HTTP requests on the same workers: the root capacity stays at
  # half of them (at least 1) so users always find a free worker. An import
  # (one 2,000-row chunk per job) takes at most one slot: notifications and
  # other jobs keep the rest; the WhatsApp sends have their own slot too.
  local workers=$1 root
  root=$(( workers / 2 )); [ "$root" -ge 1 ] || root=1
  [ "$workers" -gt 0 ] || root=2
  echo "root:$root,root.import:1,root.whatsapp:1"
}

write_server_conf() {
  local conf=$1 db=$2 port=$3 workers=${4:-0} log_level=${5:-info}
  case "$workers" in ''|*[!0-9]*) die "WORKERS must be a number (0 = threaded, N = prefork workers), not '$workers'";; esac
  write_odoo_conf "$conf" "$ODOO_SRC" "$db" "$log_level"
  cat >> "$conf" <<CONF
http_port = $port
; queue_job's runner starts inside the server (threaded) or as its own process (prefork)
server_wide_modules = base,web,queue_job
workers = $workers
gevent_port = ${GEVENT_PORT:-$((port + 3))}
max_cron_threads = ${MAX_CRON_THREADS:-1}
; one request (or one queue job, which the runner sends as a request)
limit_time_cpu = 300
limit_time_real = 600
; the daily padrón load runs as a cron job: minutes for a few million rows
limit_time_real_cron = 3600
; a worker above the soft limit finishes its request and is replaced; the hard
; limit stops an allocation at once
limit_memory_soft = $((2048 * 1024 * 1024))
limit_memory_hard = $((2560 * 1024 * 1024))
limit_request = 8192
; a prefork worker serves one request at a time: a few connections are enough,
; and PostgreSQL's max_connections is shared by every process (the threaded
; server keeps Odoo's 64: its threads serve requests side by side)
db_maxconn = $([ "$workers" -gt 0 ] && echo 8 || echo 64)
db_maxconn_gevent = 16

[queue_job]
channels = ${QUEUE_JOB_CHANNELS:-$(server_job_channels "$workers")}
CONF
}

setup_all() {
  ODOO_SRC=$(find_odoo)
  export ODOO_SRC
  info "Odoo 18.0 found at $ODOO_SRC"
  ensure_venv "$ODOO_SRC"
  ensure_postgres
  info "PostgreSQL answers on $PGHOST:$PGPORT ($(PGPASSWORD=$DB_PASSWORD psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qAtc 'show server_version'))"
}

odoo_bin() {
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"
}

drop_db() {
  PGPASSWORD="$DB_PASSWORD" dropdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" --if-exists --force "$1"
}

# ---------------------------------------------------------------- demo database
# The addon with its demo customers and files, the UI in Spanish (make run,
# make screenshots). Created once; later calls only update the addon.
ensure_demo_db() {
  local CONF=$1 DB=$2
  local LOG="$VAR_DIR/$DB-install.log"
  if ! PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$DB" -qAtc \
      "select 1 from ir_module_module where name = 'clientes_aduanas' and state = 'installed'" 2>/dev/null | grep -q 1; then
    info "creating demo database $DB with $ADDONS (log: $LOG)"
    drop_db "$DB"
    odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --stop-after-init --no-http >"$LOG" 2>&1 ||
      { tail -40 "$LOG"; die "installing the addon failed (log: $LOG)"; }
    odoo_bin shell -c "$CONF" -d "$DB" --no-http >>"$LOG" 2>&1 <<'PY'
for code in ("es_PE", "es_HN"):
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", code)])
    env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)], "overwrite": True}).lang_install()
env.ref("base.user_admin").lang = "es_PE"
env.cr.commit()
PY
  else
    info "updating $ADDONS in $DB"
    odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" -u "$ADDONS" --stop-after-init --no-http >"$LOG" 2>&1 ||
      { tail -40 "$LOG"; die "updating the addon failed (log: $LOG)"; }
  fi
}
