# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clientes Aduanas: WhatsApp Business",
    "summary": "Customer notifications through the WhatsApp Business Cloud API, "
    "with delivery status, inbound messages and opt-out",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/clientes-aduanas/clientes_aduanas",
    "author": "clientes_aduanas developers",
    "license": "LGPL-3",
    "depends": [
        "clientes_aduanas",
        # One background job per recipient, retried on Meta's transient errors.
        "queue_job",
        # phone.blacklist: the numbers that answered BAJA / STOP.
        "phone_validation",
    ],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/whatsapp_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/whatsapp_account_views.xml",
        "views/whatsapp_template_views.xml",
        "views/whatsapp_message_views.xml",
        "wizard/whatsapp_send_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/customs_file_views.xml",
        "views/whatsapp_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "clientes_aduanas_whatsapp/static/tests/tours/**/*",
        ],
    },
}
