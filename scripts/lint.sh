#!/usr/bin/env bash
# ruff and pylint-odoo with OCA's 18.0 settings (.ruff.toml, .pylintrc), the
# same checks .pre-commit-config.yaml runs, from the project's virtualenv so
# that they work without network access.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ODOO_SRC=$(find_odoo)
ensure_venv "$ODOO_SRC"
cd "$ROOT"
info "ruff"
"$VENV/bin/ruff" check ${ADDONS//,/ } bench scripts
"$VENV/bin/ruff" format --check ${ADDONS//,/ } bench scripts
info "pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc --score=n ${ADDONS//,/ }
info "lint clean"
