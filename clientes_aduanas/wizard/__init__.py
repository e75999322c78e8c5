from . import customer_suspend_wizard
