"""The SPOT (detracción) rule of one invoice, without the ORM.

Everything the rule needs comes in as plain values so that it can be tested
and reasoned about on its own; ``account.move`` gathers those values and
stores what this returns.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

# R.S. 183-2004/SUNAT, art. 12 (Annex 3 services): the system applies when
# the operation's amount is *greater than* S/ 700.
GENERAL_THRESHOLD = Decimal("700")


@dataclass(frozen=True)
class SpotRate:
    """A SPOT code with the rate and threshold valid on the invoice date."""

    code: str
    rate: Decimal  # percent, e.g. Decimal("12")
    threshold: Decimal | None = None  # soles; None: the general S/ 700
    # Road transport of goods: the base is the greater of the invoice total
    # and the "valor referencial" of the trip (TUO D. Leg. 940, art. 4.1.d;
    # values of D.S. 010-2006-MTC).
    uses_reference_value: bool = False


@dataclass(frozen=True)
class Detraction:
    applies: bool
    spot: SpotRate | None = None
    amount: Decimal = Decimal(0)  # soles, whole
    reason: str = ""  # why nothing applies, for a candidate invoice
    base: Decimal = Decimal(0)  # soles: what the threshold and the rate apply to


# Reasons are keys, translated by the caller (the ORM owns the language).
NO_CODE = "no_code"
BELOW_THRESHOLD = "below_threshold"


def round_deposit(amount):
    """Deposits are made in whole soles (R.S. 343-2014/SUNAT): a decimal
    part below 0.50 is dropped, 0.50 or more rounds up."""
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def compute_detraction(total_pen, line_rates, default_rate=None, requested=False, reference_value=None):
    """The detracción of a customer invoice.

    :param total_pen: the invoice total including IGV, in soles (Decimal)
    :param line_rates: the ``SpotRate`` of each line that carries a SPOT code
    :param default_rate: the ``SpotRate`` used when the customer requests
        detracción but no line carries a code
    :param requested: the customer requests detracción
    :param reference_value: the trip's valor referencial in soles (Decimal),
        used only when the winning code is road transport of goods
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
    base = Decimal(total_pen)
    if spot.uses_reference_value and reference_value:
        # The greater of the two, for the threshold as for the amount: a trip
        # invoiced below S/ 400 whose valor referencial exceeds it is subject.
        base = max(base, Decimal(reference_value))
    if base <= threshold:
        return Detraction(False, spot=spot, reason=BELOW_THRESHOLD, base=base)
    return Detraction(True, spot=spot, amount=round_deposit(base * spot.rate / 100), base=base)


def to_decimal(value, digits=2):
    """A float from the ORM as the Decimal it stands for."""
    return Decimal(str(round(value, digits)))


# R.S. 183-2004/SUNAT, art. 9.1.b (services): the deposit is due by the
# fifth business day ("hábil") of the month after the invoice.
DEPOSIT_BUSINESS_DAYS = 5


def fifth_business_day_of_next_month(date):
    """SUNAT's deadline for the deposit of a service when the company has no
    working calendar: the fifth weekday (Monday to Friday) of the month after
    the invoice; public holidays are unknown without a calendar."""
    day = date.replace(day=1) + relativedelta(months=1)
    left = DEPOSIT_BUSINESS_DAYS
    while True:
        if day.weekday() < 5:
            left -= 1
            if not left:
                return day
        day += timedelta(days=1)
