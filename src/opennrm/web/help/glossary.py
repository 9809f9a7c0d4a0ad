"""The glossary of NRM terms in Ukrainian and English, with their sources.

One list serves the help pages (each area shows its terms) and `docs/glossary.md` (a test keeps
the document equal to this list). Sources are from docs/domain.md; a term with no legal source
is an OpenNRM convention and says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    en: str
    uk: str
    definition_en: str
    definition_uk: str
    source_en: str
    source_uk: str
    areas: tuple[str, ...]

    def term(self, language: str) -> str:
        return self.en if language.startswith("en") else self.uk

    def definition(self, language: str) -> str:
        return self.definition_en if language.startswith("en") else self.definition_uk

    def source(self, language: str) -> str:
        return self.source_en if language.startswith("en") else self.source_uk


LAW_3739_EN = "Law of Ukraine No. 3739-VI of 20 Sep 2011 “On Combating Trafficking in Human Beings”"
LAW_3739_UK = "Закон України від 20.09.2011 № 3739-VI «Про протидію торгівлі людьми»"
R417_EN = "Cabinet of Ministers Resolution No. 417 of 23 May 2012 (as amended 2012, 2019, 2021)"
R417_UK = (
    "Постанова Кабінету Міністрів України від 23.05.2012 № 417 (зі змінами 2012, 2019, 2021 рр.)"
)
R783_EN = "Cabinet of Ministers Resolution No. 783 of 22 Aug 2012 (the interaction procedure)"
R783_UK = "Постанова Кабінету Міністрів України від 22.08.2012 № 783 (порядок взаємодії)"
R660_EN = "Cabinet of Ministers Resolution No. 660 of 25 Jul 2012"
R660_UK = "Постанова Кабінету Міністрів України від 25.07.2012 № 660"
CC_EN = "Criminal Code of Ukraine, art. 149"
CC_UK = "Кримінальний кодекс України, ст. 149"
CPC_EN = "Criminal Procedure Code of Ukraine"
CPC_UK = "Кримінальний процесуальний кодекс України"
HTCDS_EN = "Human Trafficking Case Data Standard (HTCDS) v2.0, IOM, 2021"
HTCDS_UK = "Стандарт даних про випадки торгівлі людьми (HTCDS) v2.0, МОМ, 2021"
ODIHR_EN = "OSCE/ODIHR, National Referral Mechanisms: a Practical Handbook (2004; 2nd ed. 2022)"
ODIHR_UK = (
    "ОБСЄ/БДІПЛ, «Національні механізми перенаправлення: практичний посібник» "
    "(2004; 2-ге вид. 2022)"
)
ILO_EN = "ILO and European Commission, Operational indicators of trafficking in human beings (2009)"
ILO_UK = "МОП і Європейська комісія, «Операційні індикатори торгівлі людьми» (2009)"
CETS_EN = "Council of Europe Convention on Action against Trafficking in Human Beings (CETS 197)"
CETS_UK = "Конвенція Ради Європи про заходи щодо протидії торгівлі людьми (CETS 197)"
STATS_EN = (
    "Joint order of the Ministries of Social Policy and Internal Affairs No. 4/5 of 11 Jan 2016"
)
STATS_UK = "Спільний наказ Мінсоцполітики та МВС від 11.01.2016 № 4/5"
OPENNRM_EN = "OpenNRM convention"
OPENNRM_UK = "Термін OpenNRM"

TERMS: tuple[Term, ...] = (
    Term(
        "nrm",
        "National Referral Mechanism (NRM)",
        "Національний механізм взаємодії (НМВ)",
        "The co-operative framework through which state bodies, together with civil society, "
        "identify trafficked persons, protect their rights and refer them to assistance.",
        "Система взаємодії, через яку державні органи разом із громадськими організаціями "
        "виявляють осіб, які постраждали від торгівлі людьми, захищають їхні права та "
        "перенаправляють їх до допомоги.",
        f"{ODIHR_EN}; {R783_EN}",
        f"{ODIHR_UK}; {R783_UK}",
        ("cases", "referrals", "assistance"),
    ),
    Term(
        "victim",
        "victim of trafficking in human beings",
        "особа, яка постраждала від торгівлі людьми",
        "A person who has been trafficked; in Ukraine the status is established by the "
        "procedure of Resolution No. 417.",
        "Особа, яка зазнала торгівлі людьми; в Україні статус установлюють за порядком "
        "постанови № 417.",
        f"{LAW_3739_EN}, art. 1",
        f"{LAW_3739_UK}, ст. 1",
        ("cases", "status", "assistance", "screening"),
    ),
    Term(
        "presumed_victim",
        "presumed victim",
        "ймовірна постраждала особа",
        "A person whom the screening indicators point to: refer them; this is not a legal finding.",
        "Особа, на яку вказують індикатори скринінгу: її слід перенаправити; це не юридичний "
        "висновок.",
        ILO_EN,
        ILO_UK,
        ("screening", "cases"),
    ),
    Term(
        "case",
        "case",
        "справа",
        "The record an agency keeps of one person it assists or identified: facts, trafficking "
        "events, consent and what was done. The person's identity is kept apart and encrypted.",
        "Запис установи про одну особу, якій вона допомагає або яку виявила: обставини, події "
        "торгівлі людьми, згода та вжиті заходи. Дані про особу зберігаються окремо й "
        "зашифровано.",
        HTCDS_EN,
        HTCDS_UK,
        ("cases",),
    ),
    Term(
        "consent",
        "consent",
        "згода",
        "The person's (or legal representative's) consent to the processing and sharing of "
        "their data for a purpose.",
        "Згода особи (або її законного представника) на обробку та передання її даних для "
        "певної мети.",
        "Law of Ukraine No. 2297-VI of 1 Jun 2010 “On Personal Data Protection”",
        "Закон України від 01.06.2010 № 2297-VI «Про захист персональних даних»",
        ("cases", "referrals"),
    ),
    Term(
        "screening",
        "screening (ILO/EC indicators)",
        "скринінг (індикатори МОП/ЄК)",
        "A check of the operational indicators (deceptive, coercive or abusive recruitment, "
        "exploitation, coercion at destination) to decide whether to refer the person.",
        "Перевірка за операційними індикаторами (оманливе, примусове вербування чи "
        "зловживання вразливістю, експлуатація, примус у місці призначення), щоб вирішити, чи "
        "перенаправляти особу.",
        ILO_EN,
        ILO_UK,
        ("screening",),
    ),
    Term(
        "referral",
        "referral",
        "перенаправлення",
        "Sending a case to another agency for a purpose under a legal basis; once accepted the "
        "receiving agency sees the data categories the purpose allows.",
        "Передання справи іншій установі для певної мети на правовій підставі; після "
        "прийняття установа-отримувач бачить ті категорії даних, які дозволяє мета.",
        f"{R783_EN}; {ODIHR_EN}",
        f"{R783_UK}; {ODIHR_UK}",
        ("referrals", "cases"),
    ),
    Term(
        "legal_basis",
        "legal basis",
        "правова підстава",
        "The ground in law on which data is shared: the person's consent or a provision of law.",
        "Підстава в законі, на якій передаються дані: згода особи або норма закону.",
        "Law of Ukraine No. 2297-VI of 1 Jun 2010 “On Personal Data Protection”",
        "Закон України від 01.06.2010 № 2297-VI «Про захист персональних даних»",
        ("referrals",),
    ),
    Term(
        "agency",
        "agency (NRM partner)",
        "установа (суб’єкт взаємодії)",
        "A body taking part in the NRM: a ministry, police unit, border guard detachment, "
        "hromada office, centre of social services, shelter, NGO or international organisation.",
        "Суб’єкт, що бере участь у НМВ: міністерство, підрозділ поліції, прикордонний загін, "
        "виконавчий орган громади, центр соціальних служб, притулок, громадська або міжнародна "
        "організація.",
        R783_EN,
        R783_UK,
        ("cases", "referrals", "accounts"),
    ),
    Term(
        "status_establishment",
        "establishment of the status of a victim of trafficking",
        "встановлення статусу особи, яка постраждала від торгівлі людьми",
        "The administrative procedure: application, registration in the journal, interview, "
        "personal file forwarded upwards, decision (granted, refused or returned as incomplete).",
        "Адміністративна процедура: заява, реєстрація в журналі, співбесіда, особова справа "
        "надсилається на вищий рівень, рішення (встановлено, відмовлено або повернуто як "
        "неповну).",
        R417_EN,
        R417_UK,
        ("status",),
    ),
    Term(
        "certificate",
        "certificate of victim status",
        "довідка про встановлення статусу",
        "The document given when the status is granted; valid up to two years and extendable.",
        "Документ, що видається після встановлення статусу; діє до двох років, може бути "
        "продовжений.",
        R417_EN,
        R417_UK,
        ("status",),
    ),
    Term(
        "one_time_payment",
        "one-time financial assistance",
        "одноразова матеріальна допомога",
        "A payment to a person with the status, on application to the social protection body, "
        "within one month.",
        "Виплата особі, якій установлено статус, за заявою до органу соціального захисту, "
        "протягом місяця.",
        R660_EN,
        R660_UK,
        ("status",),
    ),
    Term(
        "reflection_period",
        "recovery and reflection period",
        "період відновлення та роздумів",
        "At least 30 days for a foreign presumed victim to recover and decide whether to "
        "co-operate with the authorities; assistance does not depend on co-operation.",
        "Щонайменше 30 днів, щоб іноземець — ймовірна постраждала особа — відновився і вирішив, "
        "чи співпрацювати з органами влади; допомога не залежить від співпраці.",
        f"{CETS_EN}, art. 12-13",
        f"{CETS_UK}, ст. 12-13",
        ("status", "assistance"),
    ),
    Term(
        "hromada",
        "hromada (territorial community)",
        "громада (територіальна громада)",
        "The local self-government unit; its executive body (or the district state "
        "administration) receives status applications.",
        "Одиниця місцевого самоврядування; її виконавчий орган (або районна державна "
        "адміністрація) приймає заяви про встановлення статусу.",
        R417_EN,
        R417_UK,
        ("status",),
    ),
    Term(
        "oda",
        "oblast state administration (ODA)",
        "обласна державна адміністрація (ОДА)",
        "The oblast level of the status procedure: it verifies personal files and forwards them "
        "to the national level.",
        "Обласний рівень процедури встановлення статусу: перевіряє особові справи й надсилає їх "
        "на національний рівень.",
        R417_EN,
        R417_UK,
        ("status",),
    ),
    Term(
        "nss",
        "National Social Service",
        "Національна соціальна сервісна служба",
        "The central body whose working group decides on status since 2021-22.",
        "Центральний орган, робоча група якого ухвалює рішення про статус з 2021-2022 рр.",
        f"{R417_EN}; {R783_EN}",
        f"{R417_UK}; {R783_UK}",
        ("status",),
    ),
    Term(
        "msp",
        "Ministry of Social Policy (national coordinator)",
        "Міністерство соціальної політики (національний координатор)",
        "Coordinates counter-trafficking measures and the NRM.",
        "Координує заходи з протидії торгівлі людьми та НМВ.",
        R783_EN,
        R783_UK,
        ("statistics", "linkage"),
    ),
    Term(
        "service_provider",
        "service provider",
        "надавач послуг",
        "An organisation that gives assistance (shelter, medical, psychological, legal, social, "
        "livelihood help) listed in the directory.",
        "Організація, що надає допомогу (притулок, медичну, психологічну, правову, соціальну "
        "допомогу, підтримку зайнятості), внесена до довідника.",
        R783_EN,
        R783_UK,
        ("assistance",),
    ),
    Term(
        "support_plan",
        "support plan",
        "план підтримки",
        "The objectives and actions agreed with the person, with the services delivered.",
        "Цілі та дії, погоджені з особою, і надані послуги.",
        HTCDS_EN,
        HTCDS_UK,
        ("assistance",),
    ),
    Term(
        "criminal_proceedings",
        "criminal proceedings",
        "кримінальне провадження",
        "Pre-trial investigation and trial of a criminal offence: registered, investigation, "
        "notice of suspicion, indictment, trial, verdict, appeal.",
        "Досудове розслідування та судовий розгляд кримінального правопорушення: внесення до "
        "ЄРДР, розслідування, повідомлення про підозру, обвинувальний акт, суд, вирок, "
        "оскарження.",
        CPC_EN,
        CPC_UK,
        ("justice",),
    ),
    Term(
        "erdr",
        "Unified Register of Pre-trial Investigations (ERDR)",
        "Єдиний реєстр досудових розслідувань (ЄРДР)",
        "The register where every criminal proceeding is entered under a number.",
        "Реєстр, до якого вносять кожне кримінальне провадження під номером.",
        f"{CPC_EN}, art. 214",
        f"{CPC_UK}, ст. 214",
        ("justice",),
    ),
    Term(
        "investigator",
        "investigator",
        "слідчий",
        "The police officer who conducts the pre-trial investigation.",
        "Службова особа поліції, яка здійснює досудове розслідування.",
        CPC_EN,
        CPC_UK,
        ("justice", "perpetrators"),
    ),
    Term(
        "trafficking_offence",
        "trafficking in human beings (offence)",
        "торгівля людьми (злочин)",
        "The offence of art. 149 (3-8 years; aggravated parts up to 15 years); art. 150 covers "
        "the exploitation of children.",
        "Злочин за ст. 149 (від 3 до 8 років; кваліфіковані склади — до 15 років); ст. 150 — "
        "експлуатація дітей.",
        CC_EN,
        CC_UK,
        ("justice",),
    ),
    Term(
        "non_punishment",
        "non-punishment principle",
        "принцип непокарання",
        "Victims are not punished for offences they were compelled to commit.",
        "Постраждалих не карають за правопорушення, до яких їх примусили.",
        f"{CETS_EN}, art. 26",
        f"{CETS_UK}, ст. 26",
        ("justice",),
    ),
    Term(
        "perpetrator",
        "perpetrator",
        "кривдник (особа, яка вчинила торгівлю людьми)",
        "A person who recruited, moved, held or exploited victims; recorded by law enforcement "
        "with identifiers (phones, accounts) shared across cases.",
        "Особа, яка вербувала, переміщувала, утримувала чи експлуатувала постраждалих; "
        "вносять правоохоронці з ідентифікаторами (телефони, облікові записи), спільними для "
        "різних справ.",
        HTCDS_EN,
        HTCDS_UK,
        ("perpetrators",),
    ),
    Term(
        "mla",
        "mutual legal assistance",
        "міжнародна правова допомога",
        "Requests to transit and destination countries for questioning, documents, searches, "
        "extradition or joint investigation teams.",
        "Запити до країн транзиту та призначення про допит, документи, обшуки, видачу або "
        "спільні слідчі групи.",
        f"{CPC_EN}, ch. 43",
        f"{CPC_UK}, гл. 43",
        ("perpetrators", "justice"),
    ),
    Term(
        "idp",
        "internally displaced person (IDP)",
        "внутрішньо переміщена особа (ВПО)",
        "A person who left their home because of the armed conflict; IDPs are targeted by "
        "brokers of emigration or refugee-status services.",
        "Особа, яка залишила своє житло через збройний конфлікт; ВПО стають мішенню "
        "посередників, що продають послуги еміграції чи отримання статусу біженця.",
        HTCDS_EN,
        HTCDS_UK,
        ("perpetrators", "cases"),
    ),
    Term(
        "training",
        "capacity building",
        "підвищення спроможності (навчання)",
        "Trainings of police, investigators, prosecutors, judges, border guards, social "
        "services and NGOs, with pre- and post-tests and certificates.",
        "Навчання поліцейських, слідчих, прокурорів, суддів, прикордонників, соціальних служб "
        "і громадських організацій із вхідним і вихідним тестуванням та сертифікатами.",
        ODIHR_EN,
        ODIHR_UK,
        ("training",),
    ),
    Term(
        "protected_count",
        "protected count",
        "захищений показник",
        "A count shown with small cells suppressed and values rounded, so no person can be "
        "recognised; public tables use differential privacy.",
        "Показник, у якому малі значення приховано, а решту округлено, щоб не можна було "
        "впізнати особу; публічні таблиці використовують диференційну приватність.",
        f"{STATS_EN}; CTDC (IOM)",
        f"{STATS_UK}; CTDC (МОМ)",
        ("statistics",),
    ),
    Term(
        "linkage",
        "record linkage (one count of persons)",
        "зіставлення записів (єдиний облік осіб)",
        "Finding the records of one person registered by several agencies, so statistics count "
        "persons, not registrations.",
        "Пошук записів про одну особу, зареєстровану кількома установами, щоб статистика "
        "рахувала осіб, а не реєстрації.",
        STATS_EN,
        STATS_UK,
        ("linkage", "statistics"),
    ),
    Term(
        "second_factor",
        "second factor",
        "другий фактор",
        "A one-time code from an authenticator app, a backup code or a passkey, asked after the "
        "password.",
        "Одноразовий код із застосунку-автентифікатора, резервний код або ключ доступу, які "
        "запитуються після пароля.",
        OPENNRM_EN,
        OPENNRM_UK,
        ("accounts",),
    ),
    Term(
        "audit_trail",
        "audit trail",
        "журнал аудиту",
        "The append-only, hash-chained record of who viewed or changed what; it holds no "
        "personal data.",
        "Незмінний журнал (ланцюг гешів) того, хто що переглядав або змінював; персональних "
        "даних у ньому немає.",
        "Law of Ukraine No. 2297-VI of 1 Jun 2010 “On Personal Data Protection”",
        "Закон України від 01.06.2010 № 2297-VI «Про захист персональних даних»",
        ("accounts", "cases"),
    ),
)


def terms_for(area: str) -> list[Term]:
    return [t for t in TERMS if area in t.areas]
