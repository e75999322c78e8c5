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
odoo_bin -c "$CONF" -d "$DB" -i clientes_aduanas --without-demo=all --stop-after-init --no-http >"$LOG" 2>&1 ||
  { tail -30 "$LOG"; die "installing the addon failed (log: $LOG)"; }
POT="$ROOT/clientes_aduanas/i18n/clientes_aduanas.pot"
odoo_bin -c "$CONF" -d "$DB" --i18n-export="$POT" --modules=clientes_aduanas --stop-after-init --no-http >>"$LOG" 2>&1 ||
  die "exporting the .pot failed (log: $LOG)"
"$VENV/bin/python" "$ROOT/scripts/merge_po.py" "$POT" "$ROOT/clientes_aduanas/i18n/es.po" "$ROOT"/i18n_src/*.po
# The WhatsApp addon ships its own .pot and es.po (translations: i18n_src/whatsapp.po).
WA=clientes_aduanas_whatsapp
if [ -d "$ROOT/$WA" ]; then
  odoo_bin -c "$CONF" -d "$DB" -i "$WA" --without-demo=all --stop-after-init --no-http >>"$LOG" 2>&1 ||
    die "installing $WA failed (log: $LOG)"
  odoo_bin -c "$CONF" -d "$DB" --i18n-export="$ROOT/$WA/i18n/$WA.pot" --modules="$WA" --stop-after-init --no-http \
    >>"$LOG" 2>&1 || die "exporting the $WA .pot failed (log: $LOG)"
  "$VENV/bin/python" "$ROOT/scripts/merge_po.py" "$ROOT/$WA/i18n/$WA.pot" "$ROOT/$WA/i18n/es.po" "$ROOT/i18n_src/whatsapp.po"
fi
drop_db "$DB"
