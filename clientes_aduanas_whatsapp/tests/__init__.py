from . import test_whatsapp_send, test_whatsapp_webhook, test_whatsapp_http
