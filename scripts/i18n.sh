#!/usr/bin/env bash
# make i18n: export clientes_aduanas.pot from a database with the addon
# installed, then rebuild i18n/es.pot -> i18n/es.po keeping every existing
# translation (and taking new ones from i18n_src/*.po when present).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
setup_all
DB="${I18N_DB:-clientes_aduanas_i18n}"
CONF="$VAR_DIR/$DB.conf"
write_odoo_conf "$CONF" "$ODOO_SRC" "$DB"
LOG="$VAR_DIR/$DB-install.log"
drop_db "$DB"
odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init --no-http >"$LOG" 2>&1 ||
  { tail -30 "$LOG"; die "installing the addon failed (log: $LOG)"; }
POT="$ROOT/clientes_aduanas/i18n/clientes_aduanas.pot"
odoo_bin -c "$CONF" -d "$DB" --i18n-export="$POT" --modules=clientes_aduanas --stop-after-init --no-http >>"$LOG" 2>&1 ||
  die "exporting the .pot failed (log: $LOG)"
"$VENV/bin/python" "$ROOT/scripts/merge_po.py" "$POT" "$ROOT/clientes_aduanas/i18n/es.po" "$ROOT"/i18n_src/*.po
# The other addons of the repository: the same, each into its own i18n/.
for addon in ${ADDONS//,/ }; do
  [ "$addon" = clientes_aduanas ] && continue
  POT="$ROOT/$addon/i18n/$addon.pot"
  odoo_bin -c "$CONF" -d "$DB" --i18n-export="$POT" --modules="$addon" --stop-after-init --no-http >>"$LOG" 2>&1 ||
    die "exporting the .pot of $addon failed (log: $LOG)"
  # The addon's own source (i18n_src/<suffix>.po) first: the same English
  # word may read differently in its screens ("Record" is a button there).
  own="$ROOT/i18n_src/${addon#clientes_aduanas_}.po"
  "$VENV/bin/python" "$ROOT/scripts/merge_po.py" "$POT" "$ROOT/$addon/i18n/es.po" "$own" "$ROOT"/i18n_src/*.po
done
drop_db "$DB"
