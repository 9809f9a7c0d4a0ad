"""Every kind of identifier: its normal form, and bad values refused with the fault named."""

from __future__ import annotations

import pytest

from opennrm.justice import identifiers as idf


@pytest.mark.parametrize(
    ("kind", "value", "normal"),
    [
        ("phone", "+380 50 123 45 67", "+380501234567"),
        ("phone", "050-123-45-67", "+380501234567"),
        ("phone", "(050) 1234567", "+380501234567"),
        ("phone", "+48 512 345 678", "+48512345678"),
        ("email", " Broker.Ua@Example.COM ", "broker.ua@example.com"),
        ("email", "info@робота.укр", "info@xn--80ab2bbhp.xn--j1amh"),
        (
            "website",
            "https://WWW.Robota-Abroad.example/vacancies/?utm=x",
            "robota-abroad.example/vacancies",
        ),
        ("website", "robota-abroad.example", "robota-abroad.example"),
        ("social", "@Broker_UA", "broker_ua"),
        ("social", "https://t.me/Broker_UA", "broker_ua"),
        ("social", "instagram.com/broker.ua/", "broker.ua"),
        ("company", "ТОВ «Світ Праці»", "світ праці"),
        ("company", "Svit Pratsi LLC", "svit pratsi"),
        ("edrpou", "00032129", "00032129"),
        ("edrpou", "1436 0570", "14360570"),
        ("bank_card", "4111 1111 1111 1111", "4111111111111111"),
        ("bank_card", "5168-7573-8000-0002", "5168757380000002"),
        ("vehicle", "аа 1234 вх", "AA1234BX"),
        ("vehicle", "AX-7777-KI", "AX7777KI"),
    ],
)
def test_normal_forms(kind: str, value: str, normal: str) -> None:
    assert idf.normalise(kind, value) == normal


@pytest.mark.parametrize(
    ("kind", "value", "fault"),
    [
        ("phone", "", "Enter a value"),
        ("phone", "12", "not a phone number|does not exist"),
        ("phone", "+380 00 000 00 00", "does not exist"),
        ("phone", "０５０１２３４５６７", "digits 0-9"),
        ("phone", "call me", "not a phone number"),
        ("email", "broker.example.com", "name, @ and a domain"),
        ("email", "broker@localhost", "invalid domain"),
        ("email", "@example.com", "name, @ and a domain"),
        ("website", "not a site", "invalid host"),
        ("website", "http://192.168.0.1/", "IP address"),
        ("website", "-bad-.example", "invalid host"),
        ("social", "@", "2 to 64"),
        ("social", "має пробіли", "2 to 64"),
        ("company", "ТОВ", "legal form alone"),
        ("company", "«»", "legal form alone"),
        ("edrpou", "0003212", "8 digits"),
        ("edrpou", "00032128", "check digit"),
        ("edrpou", "0003212A", "only the digits"),
        ("edrpou", "０００３２１２９", "only the digits"),
        ("bank_card", "4111 1111 1111 1112", "check digit"),
        ("bank_card", "4111", "12 to 19"),
        ("bank_card", "4111-xxxx-1111-1111", "only the digits"),
        ("vehicle", "AB", "3 to 10"),
        ("vehicle", "ABCDEF", "3 to 10"),
        ("vehicle", "АБ1234ВГ", "3 to 10"),
        ("fax", "123", "Unknown kind"),
    ],
)
def test_bad_values_are_refused_and_named(kind: str, value: str, fault: str) -> None:
    with pytest.raises(idf.BadIdentifier, match=fault) as exc:
        idf.normalise(kind, value)
    if value.strip():
        assert value not in str(exc.value)  # the fault, never the value


def test_edrpou_check_digit_of_the_middle_range() -> None:
    # Codes between 30000000 and 60000000 weigh 7,1,2,3,4,5,6.
    first = "3000001"
    code = first + str(idf.edrpou_check_digit(first))
    assert idf.normalise("edrpou", code) == code
    wrong = first + str((int(code[-1]) + 1) % 10)
    with pytest.raises(idf.BadIdentifier):
        idf.normalise("edrpou", wrong)


def test_a_card_is_masked_when_shown() -> None:
    assert idf.masked("bank_card", "4111111111111111") == "•••• 1111"
    assert idf.masked("phone", "+380501234567") == "+380501234567"
