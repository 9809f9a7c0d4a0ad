"""Identifiers that tie records together (a phone number, an e-mail, a web site, a social-media
handle, a company's name or EDRPOU code, a bank card, a vehicle plate): one normal form per kind,
so that the same identifier written two ways gives the same blind-index digest.

Plain Python: `normalise(kind, value)` returns the normal form or raises `BadIdentifier` with
a message that names what is wrong (never the value itself, which may end up in a log). The
encryption and the digests are in `justice/perpetrator_vault.py`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import phonenumbers
from django.utils.translation import gettext as _

PHONE: Final = "phone"
EMAIL: Final = "email"
WEBSITE: Final = "website"
SOCIAL: Final = "social"
COMPANY: Final = "company"
EDRPOU: Final = "edrpou"
BANK_CARD: Final = "bank_card"
VEHICLE: Final = "vehicle"
KINDS: Final = (PHONE, EMAIL, WEBSITE, SOCIAL, COMPANY, EDRPOU, BANK_CARD, VEHICLE)

# Numbers written without a country code are read as Ukrainian.
DEFAULT_REGION: Final = "UA"
MAX_LENGTH: Final = 200


class BadIdentifier(ValueError):
    """A value that is not a valid identifier of its kind; the message says why."""


def _ascii_digits(text: str) -> bool:
    return bool(text) and all("0" <= c <= "9" for c in text)


def _strip(value: str) -> str:
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise BadIdentifier(_("Enter a value."))
    if len(text) > MAX_LENGTH:
        raise BadIdentifier(_("The value is too long."))
    return text


def phone(value: str) -> str:
    """E.164 (`+380501234567`); a number without a country code is read as Ukrainian."""
    text = _strip(value)
    if any(c.isdigit() and not "0" <= c <= "9" for c in text):
        raise BadIdentifier(_("Write the phone number with the digits 0-9."))
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise BadIdentifier(_("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise BadIdentifier(_("This phone number does not exist in its country's numbering plan."))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


_EMAIL = re.compile(r"^[^@\s]+@([a-z0-9-]+\.)+(xn--[a-z0-9-]+|[a-z]{2,63})$")


def email(value: str) -> str:
    """Lower case, the domain in its ASCII (IDNA) form."""
    text = _strip(value).casefold()
    local, at, domain = text.rpartition("@")
    if not at or not local:
        raise BadIdentifier(_("An e-mail address has a name, @ and a domain."))
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise BadIdentifier(_("The e-mail address has an invalid domain.")) from None
    normal = f"{local}@{domain}"
    if not _EMAIL.match(normal):
        raise BadIdentifier(_("The e-mail address has an invalid domain."))
    return normal


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def website(value: str) -> str:
    """The host (ASCII, lower case, without `www.`) and the path, without scheme, query or a
    trailing slash: `https://WWW.Robota-Abroad.example/vacancies/?utm=x` ->
    `robota-abroad.example/vacancies`."""
    text = _strip(value)
    text = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", text)
    host, _slash, path = text.partition("/")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].casefold().removeprefix("www.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise BadIdentifier(_("The web address has an invalid host name.")) from None
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        raise BadIdentifier(_("The web address has an invalid host name."))
    if labels[-1].isdigit():
        raise BadIdentifier(_("Write the web site's name, not its IP address."))
    path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return f"{host}/{path}" if path else host


# Profile addresses of the networks used most in Ukraine: the handle is the first path part.
_SOCIAL_HOSTS = (
    "t.me",
    "telegram.me",
    "instagram.com",
    "facebook.com",
    "fb.com",
    "vk.com",
    "ok.ru",
    "tiktok.com",
    "x.com",
    "twitter.com",
    "viber.com",
)
_HANDLE = re.compile(r"^[a-z0-9_.]{2,64}$")


def social(value: str) -> str:
    """The handle in lower case without `@` (a profile address gives its handle)."""
    text = _strip(value).casefold()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).removeprefix("www.")
    for host in _SOCIAL_HOSTS:
        if text.startswith(host + "/"):
            text = text[len(host) + 1 :].split("/", 1)[0].split("?", 1)[0]
            break
    text = text.removeprefix("@")
    if not _HANDLE.match(text):
        raise BadIdentifier(_("A handle has 2 to 64 Latin letters, digits, dots or underscores."))
    return text


# Legal forms, dropped so that `ТОВ «Світ Праці»` and `Svit Pratsi LLC` differ only in script.
_LEGAL_FORMS = frozenset(
    {
        "тов",
        "тзов",
        "пп",
        "фоп",
        "пат",
        "прат",
        "ат",
        "ооо",
        "llc",
        "ltd",
        "gmbh",
        "sp",
        "zoo",
        "z",
        "o",
        "inc",
        "sro",
        "товариство",
        "з",
        "обмеженою",
        "відповідальністю",
        "приватне",
        "підприємство",
    }
)


def company(value: str) -> str:
    """The name's words in lower case, without quotes, punctuation or the legal form."""
    text = unicodedata.normalize("NFKC", _strip(value)).casefold()
    words = [w for w in re.split(r"[^\w]+", text) if w and w not in _LEGAL_FORMS]
    normal = " ".join(words)
    if len(normal) < 2:
        raise BadIdentifier(_("Write the company's name (the legal form alone is not a name)."))
    return normal


def edrpou_check_digit(first_seven: str) -> int:
    """The check digit of an EDRPOU code (the State Statistics Service's algorithm): weights
    1..7, or 7,1..6 for codes between 30000000 and 60000000; a remainder of 10 is recomputed
    with each weight plus 2, and 10 again gives 0."""
    digits = [int(c) for c in first_seven]
    number = int(first_seven) * 10
    weights = [7, 1, 2, 3, 4, 5, 6] if 30000000 < number < 60000000 else [1, 2, 3, 4, 5, 6, 7]
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 10:
        remainder = sum(d * (w + 2) for d, w in zip(digits, weights, strict=True)) % 11
        if remainder == 10:
            remainder = 0
    return remainder


def edrpou(value: str) -> str:
    """Eight digits whose last is the check digit (the Unified State Register code)."""
    text = re.sub(r"[\s-]", "", _strip(value))
    if not _ascii_digits(text):
        raise BadIdentifier(_("An EDRPOU code has only the digits 0-9."))
    if len(text) != 8:
        raise BadIdentifier(_("An EDRPOU code has 8 digits."))
    if edrpou_check_digit(text[:7]) != int(text[7]):
        raise BadIdentifier(_("The EDRPOU code's check digit is wrong (a typing error?)."))
    return text


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def bank_card(value: str) -> str:
    """12 to 19 digits (spaces and hyphens dropped) passing the Luhn check (ISO/IEC 7812)."""
    text = re.sub(r"[\s-]", "", _strip(value))
    if not _ascii_digits(text):
        raise BadIdentifier(_("A card number has only the digits 0-9."))
    if not 12 <= len(text) <= 19:
        raise BadIdentifier(_("A card number has 12 to 19 digits."))
    if not luhn_valid(text):
        raise BadIdentifier(_("The card number's check digit is wrong (a typing error?)."))
    return text


# Cyrillic letters used on Ukrainian plates, written as the Latin letters they look like
# (Ministry of Internal Affairs order No. 1030 of 2015: А В Е І К М Н О Р С Т Х).
_PLATE_LETTERS = str.maketrans("АВЕІКМНОРСТХ", "ABEIKMHOPCTX")
_PLATE = re.compile(r"^[A-Z0-9]{3,10}$")


def vehicle(value: str) -> str:
    """Upper-case Latin letters and digits without spaces: `аа 1234 вх` -> `AA1234BX`."""
    text = re.sub(r"[\s·.-]", "", _strip(value)).upper().translate(_PLATE_LETTERS)
    if not _PLATE.match(text) or not any(c.isdigit() for c in text):
        raise BadIdentifier(
            _("A plate has 3 to 10 letters and digits (the letters A B E I K M H O P C T X).")
        )
    return text


NORMALISERS: Final = {
    PHONE: phone,
    EMAIL: email,
    WEBSITE: website,
    SOCIAL: social,
    COMPANY: company,
    EDRPOU: edrpou,
    BANK_CARD: bank_card,
    VEHICLE: vehicle,
}


def normalise(kind: str, value: str) -> str:
    """The normal form of `value` as an identifier of `kind`; `BadIdentifier` names the fault."""
    try:
        normaliser = NORMALISERS[kind]
    except KeyError:
        raise BadIdentifier(_("Unknown kind of identifier.")) from None
    return normaliser(value)


def masked(kind: str, normal: str) -> str:
    """A card number shown with its last four digits only (PCI DSS); the others in full."""
    if kind == BANK_CARD:
        return "•••• " + normal[-4:]
    return normal
