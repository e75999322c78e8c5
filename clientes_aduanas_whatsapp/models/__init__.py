from . import (
    customs_file,
    res_partner,
    whatsapp_account,
    whatsapp_message,
    whatsapp_template,
)
