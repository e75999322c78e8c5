from . import test_detraction_rule
from . import test_detraction_invoice
from . import test_detraction_deposit
from . import test_detraction_ui
from . import test_detraction_i18n
from . import test_detraction_deadline
from . import test_detraction_reference_value
from . import test_detraction_list_access
