"""Legal sources show in the interface's language, never with developer notes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from opennrm.core.sources import localized_source
from opennrm.nrm.status import deadlines, payments, reflection_services

NOTES = ("domain.md", "not confirmed", "[verify", "OPENNRM_")


def _sources() -> list[str]:
    texts = [str(r.source) for r in deadlines.rules().values()]
    texts += [deadlines.CERTIFICATE_SOURCE, reflection_services.POLICY_SOURCE]
    for year in (2013, 2016, 2023):
        texts.append(payments.payment_amount("General", dt.date(year, 6, 1)).source)
    return texts


@pytest.mark.parametrize("language", ["uk", "en"])
def test_no_developer_note_reaches_a_page(language: str) -> None:
    with translation.override(language):
        for text in _sources():
            shown = localized_source(text)
            assert shown
            assert not any(note in shown for note in NOTES), shown


def test_ukrainian_sources_have_no_english_words() -> None:
    with translation.override("uk"):
        for text in _sources():
            shown = localized_source(text)
            # Any run of Latin letters, punctuation around it or not ("(as", "interview,"),
            # except the Roman numeral of a law's number (№ 3739-VI).
            words = re.findall(r"[A-Za-z]+", shown.replace("CETS", ""))
            latin = [w for w in words if not re.fullmatch(r"[IVXLC]+", w)]
            assert latin == [], shown


def test_the_acts_are_named_as_in_ukrainian_law() -> None:
    payment = payments.payment_amount("General", dt.date(2016, 6, 1)).source
    decision = str(deadlines.rule(deadlines.DECISION).source)
    with translation.override("uk"):
        assert localized_source(payment) == (
            "Закон України від 25.12.2015 № 928-VIII «Про Державний бюджет України на 2016 "
            "рік», ст. 7; Постанова Кабінету Міністрів України від 25.07.2012 № 660, первинна "
            "редакція: один прожитковий мінімум"
        )
        assert localized_source(decision).startswith(
            "Постанова Кабінету Міністрів України від 23.05.2012 № 417"
        )
    with translation.override("en"):
        assert localized_source(decision) == (
            "Cabinet Resolution No. 417 of 23 May 2012 (as amended 2012, 2019, 2021): decision "
            "at the national level; 10 days is the commonly cited figure"
        )


def test_a_deployments_own_source_is_shown_as_written() -> None:
    with translation.override("uk"):
        assert localized_source("Наказ № 12 (перевірено 10.01.2025)") == (
            "Наказ № 12 (перевірено 10.01.2025)"
        )
