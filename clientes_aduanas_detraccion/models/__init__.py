from . import detraction_code
from . import detraction_rate
from . import res_bank
from . import res_company
from . import res_config_settings
from . import product_template
from . import account_move
from . import res_partner
