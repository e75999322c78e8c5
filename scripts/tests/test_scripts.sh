#!/usr/bin/env bash
# Tests of the scripts themselves (run by `make test`): the Odoo fetch of a
# fresh machine, against a local git repository (no network), and the server
# configuration written for WORKERS. Prints "N passed, N failed".
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

check() {  # check "what" command...
  local what=$1; shift
  if "$@" >"$TMP/last.out" 2>&1; then
    passed=$((passed + 1)); echo "ok   $what"
  else
    failed=$((failed + 1)); echo "FAIL $what"; sed 's/^/     /' "$TMP/last.out" | tail -20
  fi
}

# ------------------------------------------------------------ fresh machine
# A tiny Odoo "upstream": odoo/release.py of version 18.0, odoo/addons/base,
# odoo-bin; on branch 18.0 with two commits (a shallow clone takes one).
make_upstream() {
  local up=$1 version=${2:-18}
  mkdir -p "$up/odoo/addons/base"
  git -C "$up" init -q -b 18.0
  echo "version_info = ($version, 0, 0, 'final', 0, '')" > "$up/odoo/release.py"
  echo "# base" > "$up/odoo/addons/base/__init__.py"
  printf '#!/usr/bin/env python3\nprint("fake odoo-bin")\n' > "$up/odoo-bin"
  git -C "$up" add -A
  git -C "$up" -c user.name=t -c user.email=t@example.com commit -qm one
  echo "# two" >> "$up/odoo/addons/base/__init__.py"
  git -C "$up" -c user.name=t -c user.email=t@example.com commit -qam two
}
make_upstream "$TMP/upstream"
make_upstream "$TMP/upstream17" 17

# A Python that cannot import odoo, a HOME and search paths with no tree:
# nothing on this machine is found, whatever is installed.
mkdir -p "$TMP/bin" "$TMP/home" "$TMP/nowhere"
printf '#!/bin/sh\nexec python3 -S "$@"\n' > "$TMP/bin/python3"
chmod +x "$TMP/bin/python3"

find_odoo_isolated() {  # prints find_odoo's answer; extra VAR=value args first
  env HOME="$TMP/home" VENV="$TMP/novenv" PYTHON="$TMP/bin/python3" ODOO_SRC= \
    ODOO_SEARCH_PATHS="$TMP/nowhere" "$@" \
    bash -c 'source "$0/scripts/common.sh"; find_odoo' "$ROOT"
}

test_fetch_when_missing() {
  local got
  got=$(find_odoo_isolated ODOO_GIT_URL="file://$TMP/upstream" ODOO_FETCH_DIR="$TMP/var/odoo-18.0") || return 1
  [ "$got" = "$TMP/var/odoo-18.0" ] || { echo "got '$got'"; return 1; }
  [ -f "$got/odoo-bin" ] && grep -q "^version_info = (18, 0" "$got/odoo/release.py" || return 1
  [ "$(git -C "$got" rev-parse --is-shallow-repository)" = true ] || { echo "not a shallow clone"; return 1; }
  [ "$(git -C "$got" rev-parse --abbrev-ref HEAD)" = 18.0 ] || return 1
  ! ls -d "$TMP"/var/odoo-18.0.partial.* 2>/dev/null || { echo "partial clone left"; return 1; }
}

test_fetched_tree_reused() {
  # The upstream is gone: the second call uses the earlier fetch, no clone.
  local got
  got=$(find_odoo_isolated ODOO_GIT_URL="file://$TMP/gone" ODOO_FETCH_DIR="$TMP/var/odoo-18.0") || return 1
  [ "$got" = "$TMP/var/odoo-18.0" ]
}

test_default_fetch_dir_is_ignored_state_folder() {
  # Without ODOO_FETCH_DIR the clone goes to <repo>/.var/odoo-<ref>, which
  # .gitignore covers.
  local line
  line=$(env ODOO_FETCH_DIR= bash -c 'source "$0/scripts/common.sh"; unset ODOO_FETCH_DIR; echo "$VAR_DIR/odoo-$ODOO_GIT_REF"' "$ROOT") || return 1
  [ "$line" = "$ROOT/.var/odoo-18.0" ] || { echo "got $line"; return 1; }
  git -C "$ROOT" check-ignore -q "$ROOT/.var/odoo-18.0/odoo-bin"
}

test_fetch_failure_is_clear() {
  local out rc
  out=$(find_odoo_isolated ODOO_GIT_URL="file://$TMP/missing" ODOO_FETCH_DIR="$TMP/var2/odoo-18.0" 2>&1); rc=$?
  [ "$rc" != 0 ] || { echo "exit 0"; return 1; }
  grep -q "could not fetch Odoo from file://$TMP/missing" <<<"$out" && grep -q "ODOO_SRC=" <<<"$out" || { echo "$out"; return 1; }
  [ ! -e "$TMP/var2/odoo-18.0" ] && ! ls -d "$TMP"/var2/odoo-18.0.partial.* 2>/dev/null
}

test_fetch_refuses_other_version() {
  local out rc
  out=$(find_odoo_isolated ODOO_GIT_URL="file://$TMP/upstream17" ODOO_FETCH_DIR="$TMP/var3/odoo-18.0" 2>&1); rc=$?
  [ "$rc" != 0 ] && grep -q "is not an Odoo 18.0 source tree" <<<"$out" && [ ! -e "$TMP/var3/odoo-18.0" ] ||
    { echo "rc=$rc $out"; return 1; }
}

test_found_tree_used_unchanged() {
  # A tree in the usual places (as /opt/odoo-18.0 on CI), under `env -i`
  # (no HOME): found, nothing fetched.
  local got
  got=$(env -i PATH="$PATH" VENV="$TMP/novenv" PYTHON="$TMP/bin/python3" ODOO_SEARCH_PATHS="$TMP/nowhere $TMP/upstream" \
    ODOO_GIT_URL="file://$TMP/missing" ODOO_FETCH_DIR="$TMP/var4/odoo-18.0" \
    bash -c 'source "$0/scripts/common.sh"; find_odoo' "$ROOT") || return 1
  [ "$got" = "$TMP/upstream" ] && [ ! -e "$TMP/var4" ] || { echo "got '$got'"; return 1; }
}

test_odoo_src_wins() {
  local got
  got=$(find_odoo_isolated ODOO_SRC="$TMP/upstream" ODOO_GIT_URL="file://$TMP/missing" ODOO_FETCH_DIR="$TMP/var5/odoo-18.0") || return 1
  [ "$got" = "$TMP/upstream" ] && [ ! -e "$TMP/var5" ]
}

check "fresh machine: no Odoo found -> shallow clone of ODOO_GIT_URL/ODOO_GIT_REF" test_fetch_when_missing
check "fresh machine: the fetched tree is reused, not fetched again" test_fetched_tree_reused
check "fresh machine: default fetch folder is .var/odoo-18.0, ignored by git" test_default_fetch_dir_is_ignored_state_folder
check "fresh machine: a failed fetch stops with a clear message and leaves nothing" test_fetch_failure_is_clear
check "fresh machine: a fetched tree of another version is refused" test_fetch_refuses_other_version
check "a tree in the usual places is used unchanged (env -i, no HOME)" test_found_tree_used_unchanged
check "ODOO_SRC is used unchanged" test_odoo_src_wins

# ------------------------------------------------------------ server configuration
# write_server_conf as run.sh and the benchmarks call it, read back by Odoo's
# own configuration parser.
conf_value() {  # conf_value FILE KEY [SECTION]: the value Odoo's parser reads
  "$VENV_PY" - "$@" <<'PY'
import sys
from odoo.tools import config
conf, key = sys.argv[1], sys.argv[2]
section = sys.argv[3] if len(sys.argv) > 3 else "options"
config.parse_config(["-c", conf])
print(config[key] if section == "options" else config.misc[section][key])
PY
}

write_conf() {  # write_conf FILE WORKERS [VAR=value...]
  local file=$1 workers=$2; shift 2
  env "$@" bash -c 'source "$0/scripts/common.sh"; ODOO_SRC=$(find_odoo); write_server_conf "$1" ca_conf_test 8100 "$2"' \
    "$ROOT" "$file" "$workers"
}

expect() {  # expect FILE KEY VALUE [SECTION]
  local got
  got=$(conf_value "$1" "$2" "${4:-options}") || return 1
  [ "$got" = "$3" ] || { echo "$2: got '$got', expected '$3'"; return 1; }
}

test_conf_workers_4() {
  local c="$TMP/w4.conf"
  write_conf "$c" 4 || return 1
  expect "$c" workers 4 && expect "$c" gevent_port 8103 && expect "$c" http_port 8100 &&
    expect "$c" max_cron_threads 1 && expect "$c" http_interface 127.0.0.1 &&
    expect "$c" server_wide_modules "base,web,queue_job" &&
    expect "$c" limit_time_cpu 300 && expect "$c" limit_time_real 600 && expect "$c" limit_time_real_cron 3600 &&
    expect "$c" limit_memory_soft $((2048 * 1024 * 1024)) && expect "$c" limit_memory_hard $((2560 * 1024 * 1024)) &&
    expect "$c" limit_request 8192 && expect "$c" db_maxconn 8 && expect "$c" db_name ca_conf_test &&
    expect "$c" dbfilter '^ca_conf_test$' && expect "$c" list_db False &&
    expect "$c" channels "root:2,root.import:1,root.whatsapp:1" queue_job
}

test_conf_threaded_and_one_worker() {
  write_conf "$TMP/w0.conf" 0 && expect "$TMP/w0.conf" workers 0 && expect "$TMP/w0.conf" db_maxconn 64 &&
    expect "$TMP/w0.conf" channels "root:2,root.import:1,root.whatsapp:1" queue_job &&
    write_conf "$TMP/w1.conf" 1 && expect "$TMP/w1.conf" workers 1 &&
    expect "$TMP/w1.conf" channels "root:1,root.import:1,root.whatsapp:1" queue_job &&
    write_conf "$TMP/w8.conf" 8 && expect "$TMP/w8.conf" channels "root:4,root.import:1,root.whatsapp:1" queue_job
}

test_conf_overrides() {
  local c="$TMP/ov.conf"
  write_conf "$c" 4 GEVENT_PORT=9999 MAX_CRON_THREADS=2 QUEUE_JOB_CHANNELS=root:3,root.import:2 || return 1
  expect "$c" gevent_port 9999 && expect "$c" max_cron_threads 2 && expect "$c" channels "root:3,root.import:2" queue_job
}

test_conf_rejects_bad_workers() {
  local out rc
  out=$(write_conf "$TMP/bad.conf" four 2>&1); rc=$?
  [ "$rc" != 0 ] && grep -q "WORKERS must be a number" <<<"$out" || { echo "rc=$rc $out"; return 1; }
}

VENV_PY="${VENV:-$ROOT/.venv}/bin/python"
check "WORKERS=4: prefork, gevent port, crons, limits, queue_job channels (Odoo's parser)" test_conf_workers_4
check "WORKERS=0 / 1 / 8: job slots stay below the workers" test_conf_threaded_and_one_worker
check "GEVENT_PORT, MAX_CRON_THREADS, QUEUE_JOB_CHANNELS override" test_conf_overrides
check "WORKERS=four is refused" test_conf_rejects_bad_workers

echo "scripts: $passed passed, $failed failed"
[ "$failed" = 0 ]
