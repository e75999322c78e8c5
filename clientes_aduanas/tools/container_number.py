"""Freight container numbers (ISO 6346): normalisation and check digit.

Pure Python so that the container lines, the bulk paste and the benchmark
share one implementation. A number is an owner code (3 letters), a category
identifier (U, J or Z), a 6-digit serial number and a check digit computed
as ISO 6346 annex A describes: letters take the values 10-38 skipping the
multiples of 11, each of the ten characters is weighted by 2**position, and
the check digit is the sum modulo 11, modulo 10 (a remainder of 10 counts as
0; owners avoid serials that produce it, but it is a valid number).
"""

import re

_LETTER_VALUES = {}
_value = 10
for _letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    if _value % 11 == 0:
        _value += 1
    _LETTER_VALUES[_letter] = _value
    _value += 1

_FORMAT = re.compile(r"^[A-Z]{3}[UJZ]\d{7}$")
_SEPARATORS = re.compile(r"[\s\-\./]+")
# What separates the numbers of a bulk paste: new lines, commas, semicolons,
# tabs (a spreadsheet column) and runs of spaces.
_LIST_SEPARATORS = re.compile(r"[\n\r,;\t]+|\s{2,}")


def normalize(number):
    """Upper case without spaces, dashes, dots or slashes ("msku 123456-7" ->
    "MSKU1234567")."""
    return _SEPARATORS.sub("", number or "").upper()


def check_digit(first_ten):
    """ISO 6346 check digit of the owner code, category and serial number."""
    total = 0
    for position, char in enumerate(first_ten):
        value = _LETTER_VALUES[char] if char.isalpha() else int(char)
        total += value * (2**position)
    return total % 11 % 10


def is_valid(number):
    """Whether ``number`` (already normalised) is well formed and its last
    digit is the ISO 6346 check digit."""
    if not _FORMAT.match(number or ""):
        return False
    return check_digit(number[:10]) == int(number[10])


def split_paste(text):
    """The normalised container numbers of a pasted list, in order, without
    repeats and without empty items."""
    numbers = []
    for item in _LIST_SEPARATORS.split(text or ""):
        number = normalize(item)
        if number and number not in numbers:
            numbers.append(number)
    return numbers
