# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clientes Aduanas (Perú / Honduras)",
    "summary": "Customer master for Peru and Honduras: RUC/DNI/RTN, detracción, "
    "customs files (expedientes), operations history, lookup, import/export",
    "version": "18.0.1.3.0",
    "category": "Sales/CRM",
    "website": "https://github.com/clientes-aduanas/clientes_aduanas",
    "author": "clientes_aduanas developers",
    "license": "LGPL-3",
    "application": True,
    "depends": [
        # Partner screens, chatter and the "Contactos" app.
        "contacts",
        # res.city: Honduras' municipalities picked from their department's list.
        "base_address_extended",
        # Identification types (document type next to `vat`).
        "l10n_latam_base",
        # Quotations and invoices belong to the operations history.
        "sale_management",
        "account",
        # Customers follow their customs files under /my (account pulls it in;
        # listed because the addon's controllers and templates build on it).
        "portal",
        # Background import beyond 10,000 rows (OCA, pip: odoo-addon-queue_job).
        "queue_job",
    ],
    "external_dependencies": {
        "python": ["openpyxl", "requests", "python-stdnum", "phonenumbers"],
    },
    "data": [
        "security/clientes_aduanas_security.xml",
        "security/ir.model.access.csv",
        "security/customs_file_security.xml",
        "security/customer_import_job_security.xml",
        "security/customer_import_mapping_security.xml",
        "security/customs_declaration_security.xml",
        "data/l10n_latam_identification_type_data.xml",
        "data/res_country_state_data.xml",
        "data/res_city_data.xml",
        "data/res_partner_customer_category_data.xml",
        "data/res_partner_customer_class_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/document_lookup_provider_data.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "data/mail_activity_type_data.xml",
        "data/customs_regime_data.xml",
        "data/customs_office_data.xml",
        "data/customs_tax_type_data.xml",
        "data/mail_template_customs_declaration_data.xml",
        "data/res_partner_customer_document_data.xml",
        "views/res_partner_views.xml",
        "views/res_partner_customer_category_views.xml",
        "views/res_partner_customer_class_views.xml",
        "views/customs_file_views.xml",
        "views/customs_file_portal_templates.xml",
        "views/customs_operation_history_views.xml",
        "views/sunat_padron_load_views.xml",
        "views/document_lookup_provider_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/customer_suspend_wizard_views.xml",
        "wizard/document_lookup_wizard_views.xml",
        "wizard/sunat_padron_load_wizard_views.xml",
        "views/customer_import_job_views.xml",
        "wizard/customer_import_wizard_views.xml",
        "wizard/customer_export_wizard_views.xml",
        "views/clientes_aduanas_menus.xml",
        "views/customs_declaration_views.xml",
        "views/customs_declaration_portal_templates.xml",
        "views/res_partner_customer_document_views.xml",
        "views/res_partner_customer_document_portal_templates.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_backend": [
            "clientes_aduanas/static/src/**/*",
        ],
        "web.assets_tests": [
            "clientes_aduanas/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/customs_file_demo.xml",
        "demo/customs_declaration_demo.xml",
    ],
}
