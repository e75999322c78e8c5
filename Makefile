# The two commands of the README, plus developer helpers.
.PHONY: run test lint bench bench-load i18n clean screenshots matrix

run:            ## demo database + Odoo on http://localhost:8069 (admin / admin); WORKERS=4 serves as in production
	bash scripts/run.sh

test:           ## fresh database, install, whole suite with pytest-odoo, script tests, install-order matrix, then lint
	bash scripts/test.sh
	bash scripts/tests/test_scripts.sh
	bash scripts/install_matrix.sh
	bash scripts/lint.sh

lint:           ## ruff + pylint-odoo (OCA configuration)
	bash scripts/lint.sh

bench:          ## benchmarks under bench/ (numbers go to the README)
	bash bench/run_all.sh

bench-load:     ## load (Locust) against make run WORKERS=4 and 1, then bench/faults/run.sh if present
	bash bench/load/run.sh

i18n:           ## re-export the .pot and merge es.po
	bash scripts/i18n.sh

clean:          ## drop the virtualenv and local state (databases stay)
	rm -rf .venv .var

screenshots:    ## PNGs of the main screens (demo database, headless Chromium) in docs/screenshots/
	bash scripts/screenshots.sh

matrix:         ## install orders, l10n_pe/l10n_hn, reinstall and upgrade, each on a fresh database
	bash scripts/install_matrix.sh
