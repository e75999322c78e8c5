from . import detraction_deposit_wizard
