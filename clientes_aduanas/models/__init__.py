from . import l10n_latam_identification_type
from . import res_partner_customer_category
from . import res_partner_customer_class
from . import res_partner
from . import res_company
from . import res_config_settings
