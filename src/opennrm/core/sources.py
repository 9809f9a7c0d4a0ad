"""Legal sources as the interface shows them: in its language, without developer notes.

Sources are written in English where they are defined (code lists, deadline rules, payment
tables, a deployment's settings) and stored so in the database (a payment keeps the source of
its amount). A page shows them through `localized_source`: notes meant for developers
("(domain.md §5.8)", "(paragraph not confirmed)", "...is not confirmed") are dropped (the
"verify against the official text" mark carries that meaning to the user), and in Ukrainian the
known acts and phrases are given their Ukrainian names. Text it does not know stays as written
(a deployment's own source is shown as the deployment wrote it).
"""

from __future__ import annotations

import re
from typing import Final

from django.utils.translation import get_language

# Developer notes: a parenthesis naming the project's notes or saying a detail is not
# confirmed; a trailing clause saying so.
_NOTES: Final = (
    re.compile(r"\s*\((?:[^()]*domain\.md[^()]*|[^()]*not confirmed[^()]*)\)"),
    re.compile(r";[^;]*\bnot confirmed\b[^;]*"),
    re.compile(r",?\s*\[verify[^\]]*\]"),
)

_EN_FIXES: Final[tuple[tuple[str, str], ...]] = (
    (": an overall maximum exists", ": an overall maximum exists; it applies once set"),
    ("deployment setting OPENNRM_STATUS_DEADLINES", "a setting of this deployment"),
)

# English -> Ukrainian, longest first where one contains another.
_UK: Final[tuple[tuple[str, str], ...]] = (
    (
        ": an overall maximum exists",
        ": загальний граничний строк існує; діє, коли його встановлено в налаштуваннях",
    ),
    ("deployment setting OPENNRM_STATUS_DEADLINES", "налаштування цієї системи"),
    (
        "Cabinet Resolution No. 417 of 23 May 2012 (as amended 2012, 2019, 2021)",
        "Постанова Кабінету Міністрів України від 23.05.2012 № 417 (зі змінами 2012, 2019, "
        "2021 рр.)",
    ),
    ("Cabinet Resolution No. 417", "Постанова Кабінету Міністрів України № 417"),
    ("Resolution No. 417", "постанова № 417"),
    (
        "Cabinet Resolution No. 660 of 25 Jul 2012",
        "Постанова Кабінету Міністрів України від 25.07.2012 № 660",
    ),
    ("Resolution No. 660", "постанова № 660"),
    (
        "Cabinet Resolution No. 783 of 22 Aug 2012",
        "Постанова Кабінету Міністрів України від 22.08.2012 № 783",
    ),
    (
        "Council of Europe Convention CETS 197 on Action against Trafficking in Human Beings "
        "(2005)",
        "Конвенція Ради Європи про заходи щодо протидії торгівлі людьми (CETS 197, 2005)",
    ),
    ("Council of Europe Convention CETS 197", "Конвенція Ради Європи (CETS 197)"),
    (
        ": interview with the questionnaire after the registration of the application",
        ": співбесіда за анкетою після реєстрації заяви",
    ),
    (
        ": the official compiles and verifies the personal file and forwards it upwards",
        ": посадова особа формує й перевіряє особову справу та надсилає її на вищий рівень",
    ),
    (
        ": the oblast level forwards the file to the national level",
        ": обласний рівень надсилає справу на національний рівень",
    ),
    (
        ": decision at the national level; 10 days is the commonly cited figure",
        ": рішення на національному рівні; 10 днів — загальновживаний строк",
    ),
    (": paid within one month of the application", ": виплата протягом місяця від звернення"),
    (
        ": a recovery and reflection period of at least 30 days",
        ": період відновлення та роздумів щонайменше 30 днів",
    ),
    (
        ": the certificate is valid for up to 2 years, extendable",
        ": довідка діє до 2 років, її можна продовжити",
    ),
    (", original text: one subsistence minimum", ", первинна редакція: один прожитковий мінімум"),
    (
        " as amended 2021-22: three subsistence minimums",
        " зі змінами 2021-2022 рр.: три прожиткові мінімуми",
    ),
    (
        ": subsistence minimum for the person's social and demographic group",
        ": прожитковий мінімум для соціальної і демографічної групи особи",
    ),
    (
        "Operational indicators of trafficking in human beings. Results from a Delphi survey "
        "implemented by the ILO and the European Commission",
        "«Операційні індикатори торгівлі людьми. Результати дельфійського опитування, "
        "проведеного МОП і Європейською комісією»",
    ),
    (
        "First published March 2009, revised version of September 2009",
        "перше видання — березень 2009 р., переглянута версія — вересень 2009 р.",
    ),
    ("Criminal Procedure Code of Ukraine", "Кримінальний процесуальний кодекс України"),
    ("Criminal Code of Ukraine", "Кримінальний кодекс України"),
    ("Civil Code of Ukraine", "Цивільний кодекс України"),
    ("Family Code of Ukraine", "Сімейний кодекс України"),
    ("Law No. 3739-VI of 20 Sep 2011", "Закон України від 20.09.2011 № 3739-VI"),
    ("as amended", "зі змінами"),
    ("art. ", "ст. "),
    (" part ", " ч. "),
)

_BUDGET_LAW: Final = re.compile(
    r"Law of Ukraine No\. (?P<number>\S+) of (?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d) "
    r"“On the State Budget of Ukraine for (?P<year>\d{4})”"
)


def _is_english() -> bool:
    return (get_language() or "uk").startswith("en")


def without_notes(text: str) -> str:
    """The source without notes meant for developers."""
    for pattern in _NOTES:
        text = pattern.sub("", text)
    return text.strip()


def localized_source(text: object) -> str:
    """A legal source in the interface's language, without developer notes."""
    value = without_notes(str(text or ""))
    english = _is_english()
    for old, new in _EN_FIXES if english else _UK:
        value = value.replace(old, new)
    if not english:
        value = _BUDGET_LAW.sub(
            lambda m: (
                f"Закон України від {m['d']}.{m['m']}.{m['y']} № {m['number']} «Про Державний "
                f"бюджет України на {m['year']} рік»"
            ),
            value,
        )
    return value
