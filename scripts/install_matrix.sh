#!/usr/bin/env bash
# The install-order matrix: every order of installing the addon, Odoo's
# Peruvian and Honduran localizations, a company in Peru, an uninstall and
# reinstall, and an upgrade from the previous released version, each on a
# fresh database. Every scenario ends with a fresh process loading the
# registry and checking that the seeded customers kept their document, type,
# registration and state, and that no count changed.
#
# Usage: scripts/install_matrix.sh [scenario...]   (default: all)
# Env: TEST_DB (databases are named ${TEST_DB}_m_<scenario>), MATRIX_KEEP=1
# keeps the databases afterwards (to inspect them), MATRIX_REUSE_BASE=1
# reuses the template with Odoo's apps from an earlier run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all

PREFIX="${TEST_DB:-clientes_aduanas_test}_m"
WORK="$VAR_DIR/matrix-$PREFIX"
rm -rf "$WORK"
mkdir -p "$WORK"
CONF="$WORK/odoo.conf"
write_odoo_conf "$CONF" "$ODOO_SRC" "${PREFIX}_base"
STEPS="$ROOT/scripts/install_matrix_steps.py"
# What the addon needs from Odoo: installed once into the base template.
ODOO_APPS="contacts,l10n_latam_base,sale_management,account,portal,queue_job"
ALL_SCENARIOS="pe_after pe_before pe_together company_pe hn_before hn_after reinstall upgrade detraccion_pe detraccion_pe_after"
SCENARIOS="${*:-$ALL_SCENARIOS}"
export PGPASSWORD="$DB_PASSWORD"

passed=0
failed=0
failures=""
created_dbs=""
WORKTREE=""
PREVIOUS=""

cleanup() {
  if [ -n "$WORKTREE" ]; then
    git -C "$ROOT" worktree remove --force "$WORKTREE" >/dev/null 2>&1 || rm -rf "$WORKTREE"
    git -C "$ROOT" worktree prune >/dev/null 2>&1 || true
  fi
  if [ "${MATRIX_KEEP:-0}" != 1 ]; then
    local db
    for db in $created_dbs; do drop_db "$db" >/dev/null 2>&1 || true; done
  fi
}
trap cleanup EXIT

db_exists() {
  psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qAtc "select 1 from pg_database where datname = '$1'" | grep -q 1
}

# clone TEMPLATE NEW: a database (and its filestore) copied from a template.
clone() {
  drop_db "$2"
  # One copy of a template at a time (PostgreSQL refuses to copy a template
  # that another session is connected to).
  flock "$WORK/clone.lock" createdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -T "$1" "$2" || return 1
  rm -rf "$VAR_DIR/filestore/filestore/$2"
  if [ -d "$VAR_DIR/filestore/filestore/$1" ]; then
    cp -r "$VAR_DIR/filestore/filestore/$1" "$VAR_DIR/filestore/filestore/$2"
  fi
}

# odoo DB LOG [odoo args...]: install/update with --stop-after-init; fails on
# a non-zero exit or on any ERROR/CRITICAL line of the log.
odoo() {
  local db=$1 log=$2 conf=${ODOO_CONF:-$CONF}
  shift 2
  if ! odoo_bin -c "$conf" -d "$db" --without-demo=all --stop-after-init --no-http "$@" >>"$log" 2>&1; then
    echo "odoo $* failed on $db" >>"$log"
    return 1
  fi
  if grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log"; then
    echo "errors in the log of odoo $* on $db" >>"$log"
    return 1
  fi
}

# step DB LOG STEP [VAR=value...]: a step of install_matrix_steps.py in a
# fresh process (loading the registry is part of the check).
step() {
  local db=$1 log=$2 name=$3 conf=${ODOO_CONF:-$CONF}
  shift 3
  echo "exec(open('$STEPS').read())" |
    env MATRIX_STEP="$name" MATRIX_SNAPSHOT="$WORK/$db.json" "$@" \
      "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$conf" -d "$db" --no-http >>"$log" 2>&1 || true
  case $name in
    seed) grep -q "^MATRIX-SEEDED" "$log" ;;
    check | check_kept) grep -q "^MATRIX-CHECK-OK" "$log" ;;
    company_pe) grep -q "^MATRIX-COMPANY" "$log" ;;
    uninstall) grep -q "^MATRIX-UNINSTALLED" "$log" ;;
  esac || { echo "step $name failed on $db" >>"$log"; return 1; }
  if grep -qE "^MATRIX-FAIL|^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log"; then
    echo "errors in step $name on $db" >>"$log"
    return 1
  fi
}

# The snapshot of a clone is its template's.
inherit_snapshot() { cp "$WORK/$1.json" "$WORK/$2.json"; }

# ------------------------------------------------------------- templates
BASE="${PREFIX}_base"
ADDON="${PREFIX}_addon"
T0=$(date +%s)
if [ "${MATRIX_REUSE_BASE:-0}" = 1 ] && db_exists "$BASE"; then
  info "matrix: reusing template $BASE"
else
  info "matrix: template $BASE with $ODOO_APPS (log: $WORK/$BASE.log)"
  drop_db "$BASE"
  [ "${MATRIX_REUSE_BASE:-0}" = 1 ] || created_dbs="$created_dbs $BASE"
  odoo "$BASE" "$WORK/$BASE.log" -i "$ODOO_APPS" || { tail -30 "$WORK/$BASE.log"; die "could not build $BASE"; }
fi
info "matrix: template $ADDON = $BASE + clientes_aduanas + seeded customers"
created_dbs="$created_dbs $ADDON"
clone "$BASE" "$ADDON"
{ odoo "$ADDON" "$WORK/$ADDON.log" -i clientes_aduanas && step "$ADDON" "$WORK/$ADDON.log" seed; } ||
  { tail -30 "$WORK/$ADDON.log"; die "could not build $ADDON"; }
info "matrix: templates ready in $(($(date +%s) - T0))s"

# ------------------------------------------------------------- scenarios
# Addon first with customers, then l10n_pe: its RUC/DNI are adopted.
scenario_pe_after() {
  clone "$ADDON" "$1" && inherit_snapshot "$ADDON" "$1" &&
    odoo "$1" "$2" -i l10n_pe && step "$1" "$2" check MATRIX_EXPECT_PE=1
}

# l10n_pe first: the addon tags its RUC/DNI on install.
scenario_pe_before() {
  clone "$BASE" "$1" && odoo "$1" "$2" -i l10n_pe && odoo "$1" "$2" -i clientes_aduanas &&
    step "$1" "$2" seed && step "$1" "$2" check MATRIX_EXPECT_PE=1
}

# Both in one install.
scenario_pe_together() {
  clone "$BASE" "$1" && odoo "$1" "$2" -i clientes_aduanas,l10n_pe &&
    step "$1" "$2" seed && step "$1" "$2" check MATRIX_EXPECT_PE=1
}

# A company in Peru created after the addon: Odoo installs l10n_pe itself.
scenario_company_pe() {
  clone "$ADDON" "$1" && inherit_snapshot "$ADDON" "$1" &&
    step "$1" "$2" company_pe && step "$1" "$2" check MATRIX_EXPECT_PE=1
}

scenario_hn_before() {
  clone "$BASE" "$1" && odoo "$1" "$2" -i l10n_hn && odoo "$1" "$2" -i clientes_aduanas &&
    step "$1" "$2" seed && step "$1" "$2" check
}

scenario_hn_after() {
  clone "$ADDON" "$1" && inherit_snapshot "$ADDON" "$1" &&
    odoo "$1" "$2" -i l10n_hn && step "$1" "$2" check
}

# Uninstall and reinstall: the customers, their documents and types are
# kept, and the reinstall adopts the kept types instead of duplicating them.
scenario_reinstall() {
  clone "$ADDON" "$1" && inherit_snapshot "$ADDON" "$1" &&
    step "$1" "$2" uninstall && odoo "$1" "$2" -i clientes_aduanas && step "$1" "$2" check_kept
}

# The previous released version: the newest commit whose manifest version
# is not the working tree's, i.e. the parent of the commit that bumped the
# version (HEAD itself when the bump is not committed yet).
previous_release() {
  local current commit version bump=""
  current=$(manifest_version "$ROOT/clientes_aduanas/__manifest__.py")
  for commit in $(git -C "$ROOT" log --first-parent --format=%H -- clientes_aduanas/__manifest__.py); do
    version=$(git -C "$ROOT" show "$commit:clientes_aduanas/__manifest__.py" | manifest_version -)
    [ "$version" = "$current" ] || break
    bump=$commit
  done
  commit=$(git -C "$ROOT" rev-parse "${bump:-HEAD}${bump:+^}") || return 1
  version=$(git -C "$ROOT" show "$commit:clientes_aduanas/__manifest__.py" | manifest_version -) || return 1
  [ "$version" != "$current" ] || return 1
  echo "$commit $version"
}

manifest_version() {
  "$VENV/bin/python" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read() if sys.argv[1] != "-" else sys.stdin.read())["version"])' "$1"
}

prepare_upgrade() {
  local release commit version
  release=$(previous_release) || return 0
  read -r commit version <<<"$release"
  WORKTREE=$(mktemp -d "${TMPDIR:-/tmp}/ca_matrix_prev.XXXXXX")
  rmdir "$WORKTREE"
  git -C "$ROOT" worktree add --detach "$WORKTREE" "$commit" >"$WORK/worktree.log" 2>&1 || { WORKTREE=""; return 0; }
  PREVIOUS="$version at $commit"
  # Only the previous version's addon folders on the addons path.
  sed "s|,$ROOT\$|,$WORKTREE|" "$CONF" >"$WORK/odoo-previous.conf"
}

scenario_upgrade() {
  [ -n "$WORKTREE" ] || { echo "no earlier version of the manifest in git history" >>"$2"; return 1; }
  echo "previous release: $PREVIOUS" >>"$2"
  local old_conf="$WORK/odoo-previous.conf"
  clone "$BASE" "$1" &&
    ODOO_CONF="$old_conf" odoo "$1" "$2" -i clientes_aduanas &&
    ODOO_CONF="$old_conf" step "$1" "$2" seed &&
    odoo "$1" "$2" -u clientes_aduanas &&
    step "$1" "$2" check || return 1
  local installed
  installed=$(psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$1" -qAtc \
    "select latest_version from ir_module_module where name = 'clientes_aduanas'")
  [ "$installed" = "$(manifest_version "$ROOT/clientes_aduanas/__manifest__.py")" ] ||
    { echo "upgraded to $installed, not the working tree's version" >>"$2"; return 1; }
}

# The detracción addon with l10n_pe: l10n_pe first, then the addon, which
# reuses l10n_pe's Banco de la Nación (asserted), and the addon's own tests
# there with Odoo's runner (tours included), as make test runs them without
# l10n_pe.
scenario_detraccion_pe() {
  clone "$BASE" "$1" && odoo "$1" "$2" -i l10n_pe && odoo "$1" "$2" -i clientes_aduanas_detraccion &&
    detraccion_bank_check "$1" "$2" reused && detraccion_tests "$1" "$2"
}

# The other order: the addon's own Banco de la Nación exists when l10n_pe
# arrives, and l10n_pe's record becomes that one (one bank, both ids).
scenario_detraccion_pe_after() {
  clone "$ADDON" "$1" && inherit_snapshot "$ADDON" "$1" &&
    odoo "$1" "$2" -i clientes_aduanas_detraccion && detraccion_bank_check "$1" "$2" own &&
    odoo "$1" "$2" -i l10n_pe && detraccion_bank_check "$1" "$2" adopted && step "$1" "$2" check MATRIX_EXPECT_PE=1
}

# detraccion_bank_check DB LOG reused|own|adopted: one bank with the BIC of
# Banco de la Nación, and whose external ids point at it.
detraccion_bank_check() {
  local banks pe own
  sql() { psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$1" -qAtc "$2"; }
  banks=$(sql "$1" "select count(*) from res_bank where bic = 'BANCPEPL'")
  pe=$(sql "$1" "select res_id from ir_model_data where module = 'l10n_pe' and name = 'peruvian_national_bank'")
  own=$(sql "$1" "select res_id from ir_model_data where module = 'clientes_aduanas_detraccion' and name = 'res_bank_banco_nacion'")
  echo "detraccion bank ($3): $banks bank(s) BANCPEPL, l10n_pe id '${pe}', own id '${own}'" >>"$2"
  [ "$banks" = 1 ] || return 1
  case $3 in
    reused) [ -n "$pe" ] && [ -z "$own" ] ;;
    own) [ -z "$pe" ] && [ -n "$own" ] ;;
    adopted) [ -n "$pe" ] && [ "$pe" = "$own" ] ;;
  esac || { echo "detraccion bank check ($3) failed" >>"$2"; return 1; }
}

# detraccion_tests DB LOG: every test of clientes_aduanas_detraccion (at and
# post install, HTTP and tours) through Odoo's runner on a free port; its
# output goes to a log of its own (tests log errors on purpose).
detraccion_tests() {
  local port tests_log="$WORK/$1-tests.log"
  port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # The tests build their own data (no seeded customers: their documents
  # would collide) and check Spanish screens: es_PE as make test installs it.
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$CONF" -d "$1" --no-http >>"$tests_log" 2>&1 <<'PY' || return 1
lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "es_PE")])
env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)], "overwrite": True}).lang_install()
env.cr.commit()
PY
  # Fresh clone: give the planner statistics before the account tests run.
  psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$1" -qc "ANALYZE" >>"$2" 2>&1
  if "$VENV/bin/python" "$ROOT/scripts/run_http_tests.py" -c "$CONF" -d "$1" --db-filter="^$1\$" \
    --http-port="$port" -u clientes_aduanas_detraccion --test-tags /clientes_aduanas_detraccion \
    --log-level=warn >>"$tests_log" 2>&1; then
    echo "detraccion tests with l10n_pe: $(tail -1 "$tests_log")" >>"$2"
  else
    echo "detraccion tests with l10n_pe failed: $(tail -1 "$tests_log") (log: $tests_log)" >>"$2"
    grep -E "FAIL|ERROR" "$tests_log" | head -20 >>"$2"
    return 1
  fi
}

# run_scenario NAME: in the background; the outcome goes to a file.
run_scenario() {
  local name=$1 db="${PREFIX}_$1" log="$WORK/${PREFIX}_$1.log" start
  : >"$log"
  start=$(date +%s)
  if "scenario_$name" "$db" "$log"; then
    echo passed >"$WORK/$name.result"
    info "matrix: $name passed ($(($(date +%s) - start))s)"
  else
    echo failed >"$WORK/$name.result"
    info "matrix: $name FAILED ($(($(date +%s) - start))s), log: $log"
    grep -E "MATRIX-FAIL|ERROR|CRITICAL|Error|failed" "$log" | head -15 >&2 || true
  fi
  [ "${MATRIX_KEEP:-0}" = 1 ] || { drop_db "$db" >/dev/null 2>&1 || true; }
}

case " $SCENARIOS " in *" upgrade "*) prepare_upgrade ;; esac
# Scenarios run side by side (MATRIX_JOBS, default 2): each has its database.
JOBS=${MATRIX_JOBS:-2}
for name in $SCENARIOS; do
  declare -F "scenario_$name" >/dev/null || die "unknown scenario $name (known: $ALL_SCENARIOS)"
  created_dbs="$created_dbs ${PREFIX}_$name"
done
for name in $SCENARIOS; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  run_scenario "$name" &
done
wait

for name in $SCENARIOS; do
  if [ "$(cat "$WORK/$name.result" 2>/dev/null)" = passed ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures="$failures $name"
  fi
done
echo "install matrix: $passed passed, $failed failed${failures:+ (failed:$failures)} in $(($(date +%s) - T0))s"
[ "$failed" = 0 ]
