"""The SPOT (detracción) rule of one invoice, without the ORM.

Everything the rule needs comes in as plain values so that it can be tested
and reasoned about on its own; ``account.move`` gathers those values and
stores what this returns.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# R.S. 183-2004/SUNAT, art. 12 (Annex 3 services): the system applies when
# the operation's amount is *greater than* S/ 700.
GENERAL_THRESHOLD = Decimal("700")


@dataclass(frozen=True)
class SpotRate:
    """A SPOT code with the rate and threshold valid on the invoice date."""

    code: str
    rate: Decimal  # percent, e.g. Decimal("12")
    threshold: Decimal | None = None  # soles; None: the general S/ 700


@dataclass(frozen=True)
class Detraction:
    applies: bool
    spot: SpotRate | None = None
    amount: Decimal = Decimal(0)  # soles, whole
    reason: str = ""  # why nothing applies, for a candidate invoice


# Reasons are keys, translated by the caller (the ORM owns the language).
NO_CODE = "no_code"
BELOW_THRESHOLD = "below_threshold"


def round_deposit(amount):
    """Deposits are made in whole soles (R.S. 343-2014/SUNAT): a decimal
    part below 0.50 is dropped, 0.50 or more rounds up."""
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def compute_detraction(total_pen, line_rates, default_rate=None, requested=False):
    """The detracción of a customer invoice.

    :param total_pen: the invoice total including IGV, in soles (Decimal)
    :param line_rates: the ``SpotRate`` of each line that carries a SPOT code
    :param default_rate: the ``SpotRate`` used when the customer requests
        detracción but no line carries a code
    :param requested: the customer requests detracción
    """
    candidates = list(line_rates)
    if not candidates:
        if not requested:
            return Detraction(False)
        if default_rate is None:
            return Detraction(False, reason=NO_CODE)
        candidates = [default_rate]
    # The highest rate wins; on a tie the lowest code, so the result does not
    # depend on the order of the lines.
    spot = max(candidates, key=lambda r: (r.rate, [-ord(c) for c in r.code]))
    threshold = spot.threshold if spot.threshold is not None else GENERAL_THRESHOLD
    total = Decimal(total_pen)
    if total <= threshold:
        return Detraction(False, spot=spot, reason=BELOW_THRESHOLD)
    return Detraction(True, spot=spot, amount=round_deposit(total * spot.rate / 100))


def to_decimal(value, digits=2):
    """A float from the ORM as the Decimal it stands for."""
    return Decimal(str(round(value, digits)))
