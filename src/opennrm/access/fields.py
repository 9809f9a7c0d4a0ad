"""Which fields of a case belong to which data category: the one table, and what shares show.

A case's owner agency sees every category. An agency that sees the case through shares (accepted
referrals) sees the union of those shares' data categories, plus the `Case` fields every share
shows (the reference, the case status, the owner agency). Every output asks the same
`FieldScope` (access/scope.py): web presenters, API serializers, name search, the HTCDS
export, the timeline, action-needed and the linkage hint. The mapping from fields to
categories is the table below (`FIELDS`), documented in docs/permissions.md; a test keeps the
two in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from opennrm.core.codes import DATA_CATEGORY, code_list

IDENTITY: Final = "Identity"
CONTACT: Final = "Contact"
CASE_FACTS: Final = "CaseFacts"
DOCUMENTS: Final = "Documents"
HEALTH: Final = "Health"
PSYCHOSOCIAL: Final = "Psychosocial"
JUSTICE: Final = "Justice"
# Pseudo-categories: what every share shows, and what only the owner agency sees.
CASE: Final = "Case"
OWNER_ONLY: Final = "OwnerOnly"
# The persons the victim named as perpetrators (HTCDS `per_`): never in a share, whatever the
# consent lists; shown only to those the perpetrator gate lets see perpetrators
# (access/perpetrators.py), and then only the perpetrators it passes.
PERPETRATORS: Final = "Perpetrators"

SHARE_CATEGORIES: Final = frozenset(code_list(DATA_CATEGORY).values)
OWNER_CATEGORIES: Final = SHARE_CATEGORIES | {CASE, OWNER_ONLY}
# The categories held in the person's encrypted identity.
PERSON_CATEGORIES: Final = frozenset({IDENTITY, DOCUMENTS, CONTACT, HEALTH})


@dataclass(frozen=True)
class FieldRule:
    """One field of a case or its person: its OpenNRM name, its HTCDS name, its category."""

    name: str
    htcds: str
    category: str


# The one table of fields and their data categories (docs/permissions.md shows it).
FIELDS: Final[tuple[FieldRule, ...]] = (
    # What every share shows.
    FieldRule("id", "x_ua_CaseId", CASE),
    FieldRule("case_id", "", CASE),  # `cas_Id` is not an HTCDS field: the export says x_ua_CaseId
    FieldRule("shown_categories", "", CASE),
    FieldRule("codes", "", CASE),  # each code list by its own category (CODE_LIST_CATEGORY)
    FieldRule("person", "", CASE),  # each field of the person by its own category
    FieldRule("notes", "", CASE),  # each note by its own category (NOTE_CATEGORIES)
    FieldRule("attachments", "", CASE),  # each file by its own category (ATTACHMENT_CATEGORIES)
    FieldRule("reference", "", CASE),
    FieldRule("status", "cas_Status", CASE),
    FieldRule("closure_reason", "cas_ReasonForCaseClosure", CASE),
    FieldRule("owner_agency", "", CASE),
    # Only the owner agency: its own staff.
    FieldRule("caseworker", "cas_CaseOwner", OWNER_ONLY),
    FieldRule("consents", "", OWNER_ONLY),
    FieldRule("consent_given", "con_Consent", OWNER_ONLY),
    # Identity: who the person is.
    FieldRule("full_name", "", IDENTITY),
    FieldRule("person_id", "", IDENTITY),
    FieldRule("first_name", "prs_FirstName", IDENTITY),
    FieldRule("middle_name", "prs_MiddleName", IDENTITY),
    FieldRule("family_name", "prs_SecondName", IDENTITY),
    FieldRule("salutation", "prs_Salutation", IDENTITY),
    FieldRule("title", "prs_Title", IDENTITY),
    FieldRule("aliases", "x_ua_Aliases", IDENTITY),
    FieldRule("birth_date", "prs_Birthdate", IDENTITY),
    FieldRule("gender", "prs_Gender", IDENTITY),
    FieldRule("citizenships", "prs_Citizenship", IDENTITY),
    FieldRule("is_idp", "x_ua_IsIdp", IDENTITY),
    FieldRule("origin_oblast", "x_ua_OriginOblast", IDENTITY),
    FieldRule("origin_detail", "x_ua_OriginTerritory", IDENTITY),
    FieldRule("marital_status", "prs_MaritalStatus", IDENTITY),
    FieldRule("primary_language", "prs_PrimaryLanguage", IDENTITY),
    FieldRule("secondary_language", "prs_SecondaryLanguage", IDENTITY),
    FieldRule("education", "prs_HighestLevelOfEducation", IDENTITY),
    # Documents: identity documents and tax number.
    FieldRule("documents", "x_ua_Documents", DOCUMENTS),
    FieldRule("identity_number", "prs_IdentityNumber", DOCUMENTS),
    FieldRule("rnokpp", "x_ua_Rnokpp", DOCUMENTS),
    # Contact: how and where to reach the person.
    FieldRule("phones", "prs_MobilePhone", CONTACT),
    FieldRule("other_phones", "x_ua_OtherPhones", CONTACT),
    FieldRule("home_phone", "prs_HomePhone", CONTACT),
    FieldRule("email", "prs_Email", CONTACT),
    FieldRule("place_of_stay", "x_ua_PlaceOfStay", CONTACT),
    FieldRule("mailing_street", "prs_MailingStreet", CONTACT),
    FieldRule("mailing_city", "prs_MailingCity", CONTACT),
    FieldRule("mailing_state", "prs_MailingState", CONTACT),
    FieldRule("mailing_postal_code", "prs_MailingPostalCode", CONTACT),
    FieldRule("mailing_country", "prs_MailingCountry", CONTACT),
    # Facts of the case: identification, exploitation, events, trafficking status.
    FieldRule("identified_on", "x_ua_IdentifiedOn", CASE_FACTS),
    FieldRule("identification_country", "x_ua_IdentificationCountry", CASE_FACTS),
    FieldRule("identification_oblast", "x_ua_IdentificationOblast", CASE_FACTS),
    FieldRule("identifying_agency", "", CASE_FACTS),
    FieldRule("channel", "x_ua_IdentificationChannel", CASE_FACTS),
    FieldRule("age_at_identification", "", CASE_FACTS),
    FieldRule("age_band", "", CASE_FACTS),
    FieldRule("trafficking_status", "vic_TraffickingStatus", CASE_FACTS),
    FieldRule("status_decision_org", "vic_TraffickingStatusDecisionMakingOrg", CASE_FACTS),
    FieldRule("relationship_to_recruiter", "vic_RelationshipToTrafficker", CASE_FACTS),
    FieldRule("types_of_exploitation", "vic_TypeOfExploitation", CASE_FACTS),
    FieldRule("ua_exploitation", "x_ua_FormsOfExploitation", CASE_FACTS),
    FieldRule("labour_industry", "vic_ForcedLabourIndustry", CASE_FACTS),
    FieldRule("sex_exploitation", "vic_TypeOfSexExploitation", CASE_FACTS),
    FieldRule("control", "vic_MethodsOfControl", CASE_FACTS),
    FieldRule("recruitment", "vic_MethodOfRecruitment", CASE_FACTS),
    FieldRule("events", "hte_Events", CASE_FACTS),
    FieldRule("location_of_recruitment", "vic_LocationOfRecruitment", CASE_FACTS),
    FieldRule("location_of_exploitation", "vic_LocationOfExploitation", CASE_FACTS),
    FieldRule("age_when_trafficked", "vic_AgeWhenTrafficked", CASE_FACTS),
    FieldRule("recruitment_websites", "vic_RecruitmentWebsitesAndApps", CASE_FACTS),
    FieldRule("exploitation_websites", "vic_ExploitationWebsitesAndApps", CASE_FACTS),
    FieldRule("referring_organisation", "cas_ReferringOrganisation", CASE_FACTS),
    FieldRule("incoming_referral_date", "cas_IncomingReferralDate", CASE_FACTS),
    FieldRule("incoming_referral_reason", "cas_ReasonForIncomingReferral", CASE_FACTS),
    FieldRule("referred_organisation", "cas_ReferredOrganisation", CASE_FACTS),
    FieldRule("outgoing_referral_date", "cas_OutgoingReferralDate", CASE_FACTS),
    FieldRule("outgoing_referral_reason", "cas_ReasonForOutgoingReferral", CASE_FACTS),
    FieldRule("screenings", "", CASE_FACTS),
    # Health: vulnerabilities, coded and described.
    FieldRule("vulnerabilities", "vic_Vulnerabilities", HEALTH),
    FieldRule("vulnerability_details", "vic_DetailsOfVulnerabilities", HEALTH),
    # Psycho-social notes: the objectives of support plans.
    FieldRule("plan_objectives", "", PSYCHOSOCIAL),
    FieldRule("support_plans", "spl_SupportPlans", PSYCHOSOCIAL),
    # Criminal-justice facts: the proceedings the person takes part in (never the suspects).
    FieldRule("proceedings", "", JUSTICE),
    # Perpetrators the victim named: law enforcement and prosecution only, never a share.
    FieldRule("perpetrators", "per_Perpetrators", PERPETRATORS),
)

# What a share for a purpose may show at most, whatever its consent lists: the justice file
# is kept apart (police, prosecutors and courts never see health or psycho-social notes).
PURPOSE_CATEGORIES: Final[Mapping[str, frozenset[str]]] = {
    "CriminalProceedings": frozenset({IDENTITY, DOCUMENTS, CONTACT, CASE_FACTS, JUSTICE}),
}

# Case work (access/casework.py): a note carries the category its writer chose among those the
# kind of note allows and the writer sees; it shows where that category shows. A note on the
# case: its facts, health, psycho-social work or justice; on a contact with the person: what the
# contact was about; on a service delivered: psycho-social or health (services are assistance).
NOTE_CATEGORIES: Final[Mapping[str, tuple[str, ...]]] = {
    "Case": (CASE_FACTS, PSYCHOSOCIAL, HEALTH, JUSTICE),
    "Contact": (PSYCHOSOCIAL, HEALTH, CASE_FACTS),
    "Service": (PSYCHOSOCIAL, HEALTH),
}
# An attachment's category: identity papers are Documents, a medical report Health...; a signed
# consent form is OwnerOnly, like the consent it belongs to.
ATTACHMENT_CATEGORIES: Final[tuple[str, ...]] = (
    DOCUMENTS,
    IDENTITY,
    CASE_FACTS,
    HEALTH,
    PSYCHOSOCIAL,
    JUSTICE,
)

CATEGORY_OF: Final[Mapping[str, str]] = {
    **{rule.name: rule.category for rule in FIELDS},
    **{rule.htcds: rule.category for rule in FIELDS if rule.htcds},
}
# Multi-valued code lists of a case (cases.models.MULTI_CODE_LISTS) by category.
CODE_LIST_CATEGORY: Final[Mapping[str, str]] = {
    "vic_TypeOfExploitation": CASE_FACTS,
    "ua_exploitation": CASE_FACTS,
    "vic_ForcedLabourIndustry": CASE_FACTS,
    "vic_TypeOfSexExploitation": CASE_FACTS,
    "vic_MethodsOfControl": CASE_FACTS,
    "vic_MethodOfRecruitment": CASE_FACTS,
    "vic_Vulnerabilities": HEALTH,
    "vic_RecruitmentWebsitesAndApps": CASE_FACTS,
    "vic_ExploitationWebsitesAndApps": CASE_FACTS,
}


def category_of(name: str) -> str:
    """The data category of a field (OpenNRM or HTCDS name). An unknown field is an error:
    a new field must be placed in the table before any output can show it."""
    try:
        return CATEGORY_OF[name]
    except KeyError:
        raise KeyError(f"field {name!r} has no data category in access.fields.FIELDS") from None


def categories_of_shares(shares: Iterable[tuple[str, Iterable[str]]]) -> frozenset[str]:
    """What a set of shares, as (purpose, categories), shows together: each share's categories
    within what its purpose may show, and the `Case` fields."""
    shown: set[str] = set()
    for purpose, categories in shares:
        shown |= set(categories) & PURPOSE_CATEGORIES.get(purpose, SHARE_CATEGORIES)
    return frozenset((shown & SHARE_CATEGORIES) | {CASE})
