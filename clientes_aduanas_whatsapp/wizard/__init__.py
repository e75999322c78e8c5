from . import whatsapp_send_wizard
