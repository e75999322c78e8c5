"""Identity-document numbers of Peru and Honduras: normalisation and checks.

Pure Python (no Odoo import) so that the partner constraints, the spreadsheet
import and the online lookup share one implementation and can be tested and
benchmarked alone. Errors carry a rule code and parameters; the translatable
Spanish text lives in ``res.partner._document_error_message``.
"""

import datetime
import operator
import re

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.pe import cui as pe_cui
from stdnum.pe import ruc as pe_ruc

# Kinds of document the addon knows (value of l10n_latam.identification.type
# ``customs_document_code``).
PE_RUC = "pe_ruc"
PE_DNI = "pe_dni"
HN_RTN = "hn_rtn"
HN_IDENTITY = "hn_identity"
PASSPORT = "passport"
FOREIGN_ID = "foreign_id"

# SUNAT issues RUC prefixes 10 (natural person), 15 and 17 (persons without
# DNI / foreign), 16 (pre-1993 "sucesiones"/legacy companies) and 20
# (legal entity). python-stdnum forgets 16, so the prefix check is ours; the
# check digit is SUNAT's modulo 11, as python-stdnum computes it, without the
# library's per-call overhead (a padrón load validates 6 million RUCs).
RUC_PREFIXES = ("10", "15", "16", "17", "20")
RUC_PREFIX_COMPANY_TYPE = {"10": "person", "15": "person", "17": "person", "16": "company", "20": "company"}

HN_DEPARTMENT_CODES = {f"{n:02d}" for n in range(1, 19)}

_RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_SEPARATORS = re.compile(r"[\s\-\.\u00a0/_]+")
_MIN_BIRTH_YEAR = 1900


class DocumentNumberError(ValueError):
    """A document number breaks ``rule``; ``params`` fill the message."""

    def __init__(self, rule, **params):
        super().__init__(rule)
        self.rule = rule
        self.params = params


def normalize(number):
    """Strip spaces, dashes, dots and slashes; upper-case letters."""
    if number is None or number is False:
        return ""
    return _SEPARATORS.sub("", str(number)).upper()


def _digits(number, length, rule_length="length"):
    if not number:
        raise DocumentNumberError("empty")
    if not number.isdigit():
        raise DocumentNumberError("digits_only", length=length)
    if len(number) != length:
        raise DocumentNumberError(rule_length, length=length, actual=len(number))
    return number


def ruc_check_digit(body):
    """Check digit of the first ten digits of a RUC."""
    return str((11 - sum(map(operator.mul, _RUC_WEIGHTS, map(int, body))) % 11) % 10)


def validate_ruc(number):
    if not (isinstance(number, str) and len(number) == 11 and number.isdigit()):
        number = _digits(normalize(number), 11)
    if number[:2] not in RUC_PREFIXES:
        raise DocumentNumberError("ruc_prefix", prefix=number[:2], allowed=", ".join(RUC_PREFIXES))
    if number[-1] != ruc_check_digit(number[:10]):
        raise DocumentNumberError("check_digit")
    return number


def validate_dni(number):
    number = normalize(number)
    if len(number) == 9 and number[:8].isdigit():
        # The check character printed on the card: verify it, then keep the 8 digits.
        try:
            pe_cui.validate(number)
        except StdnumValidationError as err:
            raise DocumentNumberError("check_digit") from err
        return number[:8]
    return _digits(number, 8)


def validate_rtn(number):
    return _digits(normalize(number), 14)


def validate_hn_identity(number, today=None):
    number = _digits(normalize(number), 13)
    if number[:2] not in HN_DEPARTMENT_CODES:
        raise DocumentNumberError("hn_department", code=number[:2])
    year = int(number[4:8])
    current_year = (today or datetime.date.today()).year
    if not _MIN_BIRTH_YEAR <= year <= current_year:
        raise DocumentNumberError("hn_year", year=number[4:8], max_year=current_year)
    return number


def validate_free(number):
    """Passports and foreign ids: letters and digits, 4 to 20 characters."""
    number = normalize(number)
    if not number:
        raise DocumentNumberError("empty")
    if not number.isalnum() or not 4 <= len(number) <= 20:
        raise DocumentNumberError("alphanumeric", min=4, max=20)
    return number


VALIDATORS = {
    PE_RUC: validate_ruc,
    PE_DNI: validate_dni,
    HN_RTN: validate_rtn,
    HN_IDENTITY: validate_hn_identity,
    PASSPORT: validate_free,
    FOREIGN_ID: validate_free,
}


def validate(kind, number):
    """Return the normalised ``number`` for document ``kind`` or raise
    :class:`DocumentNumberError`. Unknown kinds are only normalised."""
    validator = VALIDATORS.get(kind)
    if validator is None:
        number = normalize(number)
        if not number:
            raise DocumentNumberError("empty")
        return number
    return validator(number)


def is_valid(kind, number):
    try:
        validate(kind, number)
    except DocumentNumberError:
        return False
    return True


def ruc_company_type(number):
    """``person``/``company`` from a valid RUC's prefix, else None."""
    return RUC_PREFIX_COMPANY_TYPE.get(normalize(number)[:2])


def document_company_type(code, number):
    """``person``/``company`` a document implies, else None: the one rule
    deriving the person type from a document (a RUC's prefix; other
    documents say nothing)."""
    if code != PE_RUC or not number:
        return None
    return ruc_company_type(number)


def ruc_to_dni(number):
    """The DNI inside a natural person's RUC (prefix 10), else None."""
    number = normalize(number)
    if len(number) == 11 and number.startswith("10") and number.isdigit():
        return number[2:10]
    return None


def dni_to_ruc(number):
    """The RUC SUNAT gives to the holder of DNI ``number`` (prefix 10)."""
    number = validate_dni(number)
    base = "10" + number
    return base + pe_ruc.calc_check_digit(base)


def restore_leading_zeros(kind, number):
    """Spreadsheets drop leading zeros of numeric cells: pad back when only
    one length is possible for the kind (DNI 8, RTN 14, Identidad 13; a RUC
    never starts with 0).
    Returns the padded value, or the value unchanged when not applicable."""
    lengths = {PE_DNI: 8, HN_RTN: 14, HN_IDENTITY: 13}
    number = normalize(number)
    length = lengths.get(kind)
    if length and number.isdigit() and len(number) < length:
        return number.zfill(length)
    return number


def key(kind, number):
    """What makes two stored numbers of document ``kind`` the same document
    (the value the unique index compares): the validated number, or the
    normalised text when it does not validate; ``False`` when empty."""
    try:
        return validate(kind, number)
    except DocumentNumberError:
        return normalize(number) or False
