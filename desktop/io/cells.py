"""Cell values as spreadsheets treat them: formula neutralisation, numbers, amounts.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (some also
after a tab or a carriage return) as a formula, so exported text gets a single
quote in front (formats.md, "CSV injection"). Import takes exactly that quote
off again, so export then import gives back the same text: text that already
begins with quotes before such a character gets one more quote on the way out.
"""

from __future__ import annotations

import re

from desktop.domain.validation import parse_number

FORMULA_STARTS = frozenset("=+-@\t\r")
CURRENCY_SIGNS = frozenset("$€£")
# Beyond this, an integral float is written as a float ("1e+20"), not 21 digits.
_INT_LIMIT = 1e15
# Lone surrogates (JSON can carry them) cannot be encoded; XML 1.0 also refuses most
# control characters and U+FFFE/U+FFFF. Each becomes U+FFFD rather than a failed export.
_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def encodable(text: str) -> str:
    """The text with lone surrogates replaced, so that it encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


def xml_safe(text: str) -> str:
    """The text with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def neutralise(text: str) -> str:
    """The text with a quote in front when a spreadsheet could run it as a formula."""
    return "'" + text if text.lstrip("'")[:1] in FORMULA_STARTS else text


def unneutralise(text: str) -> str:
    """Undo `neutralise`: drop one leading quote that guards a formula character."""
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_STARTS:
        return text[1:]
    return text


def number_out(value: float | None) -> int | float | None:
    """A number as it is written: whole numbers as int, so 12000 is never "12000.0"."""
    if value is None:
        return None
    if float(value).is_integer() and abs(value) < _INT_LIMIT:
        return int(value)
    return float(value)


def parse_amount(text: str, field_name: str) -> float | None:
    """A non-negative number or None; "12,000", "$12,000" and "€ 1 200" are all fine.

    Raises MapError (from `parse_number`) for negatives and non-numbers.
    """
    value = text.strip()
    sign = ""
    if value[:1] and value[:1] in "-+":
        sign, value = value[0], value[1:].lstrip()
    if value[:1] in CURRENCY_SIGNS:
        value = value[1:].lstrip()
        if not value:
            return parse_number(text, field_name)
    return parse_number(sign + value, field_name)
