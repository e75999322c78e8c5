from . import test_install
from . import test_document_number
from . import test_customer
from . import test_customs_file
from . import test_operation_history
from . import test_customer_import
from . import test_customer_export
