from . import detraction
