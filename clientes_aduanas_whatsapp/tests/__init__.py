from . import (
    test_review_merge,
    test_whatsapp_declaration_events,
    test_whatsapp_http,
    test_whatsapp_i18n,
    test_whatsapp_migration,
    test_whatsapp_request_cost,
    test_whatsapp_send,
    test_whatsapp_tour,
    test_whatsapp_visibility,
    test_whatsapp_webhook,
    test_whatsapp_webhook_accounts,
)
