# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clientes Aduanas - Detracción (SPOT)",
    "summary": "Peruvian SPOT (detracción) on customer invoices: SUNAT codes and rates, "
    "threshold, legend, deposit certificates and pending deposits",
    "version": "18.0.1.1.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/clientes-aduanas/clientes_aduanas",
    "author": "clientes_aduanas developers",
    "license": "LGPL-3",
    "depends": [
        # The customer master: the "Solicita detracción" flag.
        "clientes_aduanas",
        "account",
        # Business days of the deposit deadline: the company's working
        # calendar and its public holidays.
        "resource",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/detraction_code_data.xml",
        "views/detraction_code_views.xml",
        "views/product_template_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/detraction_deposit_wizard_views.xml",
        "report/report_invoice.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "clientes_aduanas_detraccion/static/tests/tours/**/*",
        ],
    },
}
