from . import customer_suspend_wizard
from . import customer_import_wizard
from . import customer_export_wizard
from . import document_lookup_wizard
from . import sunat_padron_load_wizard
from . import base_partner_merge_automatic_wizard
from . import portal_wizard_user
