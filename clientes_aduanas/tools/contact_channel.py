"""E-mail addresses, phone/WhatsApp numbers and comma lists of them.

One normaliser per datum, without the ORM, so that the partner rules, the
unique keys the database indexes, the customs-file notifications, the import
and the export read a value the same way. Validators return ``False`` (e-mail)
or raise :class:`ChannelError` (phone): the caller words the message.
"""

import re

import phonenumbers

from odoo.tools import email_normalize

# Whitespace a copy from a spreadsheet or a web page brings along: str.strip()
# knows the no-break space, not the zero-width ones.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_LIST_SEPARATORS = re.compile(r"[,;\n]")
# Plain addresses, the vast majority, that email_normalize() would accept
# unchanged: they skip its RFC 5322 parser, the slowest step of validating
# 10,000 customers in one create.
_PLAIN_EMAIL = re.compile(r"^[a-z0-9_%+\-]+(\.[a-z0-9_%+\-]+)*@[a-z0-9\-]+(\.[a-z0-9\-]+)+$")
# What any address must look like once parsed: local part, domain with a dot.
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
# wa.me wants an international number: up to 15 digits (E.164), at least 8.
_WHATSAPP_TEXT = re.compile(r"^\+?[\d\s().-]+$")


class ChannelError(ValueError):
    """A phone number that cannot be read."""


def clean(value):
    """``value`` without surrounding whitespace (no-break and zero-width
    spaces included); ``""`` for empty values."""
    if not value or not isinstance(value, str):
        return ""
    return value.strip().strip(_INVISIBLE).strip()


def normalize_email(value, allow_display_name=False):
    """The lower-cased address of ``value``, or ``False`` when it is not
    exactly one valid e-mail address. ``"Ana <ana@x.pe>"`` is accepted (as
    ``ana@x.pe``) only with ``allow_display_name``."""
    value = clean(value)
    lowered = value.lower()
    if not value or value.count("@") != 1:
        return False
    if _PLAIN_EMAIL.match(lowered):
        return lowered
    normalized = email_normalize(value, strict=True)
    if not normalized or not _ADDRESS.match(normalized) or (not allow_display_name and normalized != lowered):
        return False
    return normalized


def email_key(value):
    """What makes two stored e-mails the same customer's: the cleaned,
    lower-cased text (also for a malformed value, so that the unique index
    still sees it); ``False`` when empty."""
    return clean(value).lower() or False


def split_list(value):
    """Items of a comma (or semicolon, or line) separated list, cleaned."""
    # An RPC caller may send a number: read as its text, then judged.
    text = value if isinstance(value, str) else str(value) if value else ""
    return [item for item in (clean(part) for part in _LIST_SEPARATORS.split(text)) if item]


def join_list(items):
    return ", ".join(items)


def normalize_phone(number, country_code=None):
    """``number`` in E.164 (``+51987654321``), local numbers read in
    ``country_code`` (Peru by default). Raises :class:`ChannelError`."""
    try:
        parsed = phonenumbers.parse(clean(number), (country_code or "PE").upper())
    except phonenumbers.NumberParseException as err:
        raise ChannelError(number) from err
    if not phonenumbers.is_possible_number(parsed) or not phonenumbers.is_valid_number(parsed):
        raise ChannelError(number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_email_list(value):
    """``(normalised list text, invalid items)`` of a notification list."""
    items, invalid = [], []
    for item in split_list(value):
        normalized = normalize_email(item, allow_display_name=True)
        if not normalized:
            invalid.append(item)
        items.append(normalized or item)
    return join_list(items), invalid


def normalize_phone_list(value, country_code=None):
    """``(normalised list text, invalid items)`` of a WhatsApp list."""
    items, invalid = [], []
    for item in split_list(value):
        try:
            items.append(normalize_phone(item, country_code))
        except ChannelError:
            invalid.append(item)
            items.append(item)
    return join_list(items), invalid


def whatsapp_digits(item):
    """Digits of a stored international number as wa.me wants them, or
    ``None`` when the item cannot be one (legacy data)."""
    item = clean(item)
    digits = re.sub(r"\D", "", item)
    if _WHATSAPP_TEXT.match(item) and 8 <= len(digits) <= 15:
        return digits
    return None
