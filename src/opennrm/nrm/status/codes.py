"""Code lists of the status procedure, the one-time payment and the reflection period.

Each list names its source. The services validate against these lists; model fields hold the
codes without `choices`, so a list can grow without a migration. (They could move to
`core/data/national_code_lists.csv` with Ukrainian labels there; kept here until then.)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

R417 = "Cabinet Resolution No. 417 of 23 May 2012 (as amended 2012, 2019, 2021)"
R660 = "Cabinet Resolution No. 660 of 25 Jul 2012"
CETS197 = "Council of Europe Convention CETS 197"


@dataclass(frozen=True)
class StatusCodes:
    name: str
    source: str
    items: tuple[tuple[str, str | Promise], ...]
    verify: bool = False

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.items)

    def __contains__(self, code: object) -> bool:
        return code in self.values

    def label(self, code: str) -> str:
        return next((str(label) for value, label in self.items if value == code), code)

    def choices(self) -> list[tuple[str, str | Promise]]:
        return list(self.items)


APPLICANT = StatusCodes(
    "applicant",
    R417 + ": who may apply",
    (
        ("Self", _("The person themselves")),
        ("LegalRepresentative", _("A legal representative of the child")),
        ("InformedPerson", _("A person who learned about the child")),
    ),
)

DOCUMENTS = StatusCodes(
    "documents",
    R417 + ": the application, a copy of an identity document, supporting materials",
    (
        ("Application", _("Application on the Ministry of Social Policy form")),
        ("IdentityDocumentCopy", _("Copy of an identity document")),
        ("TravelDocuments", _("Copies of travel documents")),
        ("MedicalReports", _("Medical reports")),
        ("OtherMaterials", _("Other supporting materials")),
    ),
)
# The checklist items the procedure names for every file; the others support it.
REQUIRED_DOCUMENTS = ("Application", "IdentityDocumentCopy")

WAIVER_REASON = StatusCodes(
    "waiver_reason",
    R417 + ": no interview after identification by other authorities, or when impossible",
    (
        ("IdentifiedByLawEnforcement", _("Already identified by law enforcement")),
        ("IdentifiedByCourt", _("Already identified by a court")),
        ("IdentifiedByForeignAuthority", _("Already identified by the destination country")),
        ("InterviewImpossible", _("Interview impossible (mental state, young age)")),
    ),
)

REFUSAL_REASON = StatusCodes(
    "refusal_reason",
    "OpenNRM (statistics of refusals; US TIP reports name these grounds)",
    (
        ("NoSignsOfTrafficking", _("No signs of trafficking established")),
        ("InsufficientEvidence", _("Insufficient supporting evidence")),
        ("Other", _("Other reason")),
    ),
)

RETURN_REASON = StatusCodes(
    "return_reason",
    R417 + ": the file is returned as incomplete",
    (
        ("MissingDocuments", _("Documents missing")),
        ("MissingInterview", _("Interview or questionnaire missing")),
        ("InconsistentInformation", _("Information to be verified again")),
        ("Other", _("Other reason")),
    ),
)

REVOCATION_REASON = StatusCodes(
    "revocation_reason",
    R417 + ": grounds for revoking the status [verify grounds]",
    (
        ("FalseInformation", _("The status was based on false information")),
        ("CourtFoundNoTrafficking", _("A court found no trafficking")),
        ("Other", _("Other ground")),
    ),
    verify=True,
)

PAYMENT_CATEGORY = StatusCodes(
    "payment_category",
    R660 + ": subsistence minimum for the person's social and demographic group",
    (
        ("General", _("General (per person)")),
        ("ChildUnder6", _("Child under 6")),
        ("Child6To18", _("Child aged 6 to 18")),
        ("AbleBodied", _("Able-bodied person")),
        ("LostAbilityToWork", _("Person who lost the ability to work")),
    ),
)

REFLECTION_END_REASON = StatusCodes(
    "reflection_end_reason",
    CETS197 + ", art. 13(3) (public order, improper claim) and art. 14 (residence permit)",
    (
        ("ResidencePermitGranted", _("Residence permit granted")),
        ("PublicOrder", _("Public order grounds")),
        ("ImproperlyClaimed", _("Victim status claimed improperly")),
        ("LeftTheCountry", _("The person left the country")),
        ("Other", _("Other reason")),
    ),
)

ALL = (
    APPLICANT,
    DOCUMENTS,
    WAIVER_REASON,
    REFUSAL_REASON,
    RETURN_REASON,
    REVOCATION_REASON,
    PAYMENT_CATEGORY,
    REFLECTION_END_REASON,
)
