from . import test_install
from . import test_document_number
from . import test_customer
