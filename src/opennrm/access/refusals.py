"""Refused access is an audit event: a 404 on an object that exists, and every 403.

Interfaces call `record_refusal` where a view's exception becomes an answer (the web
middleware, the API's exception handler). The object is named by the URL's UUID keyword
(`case_id`, `referral_id`...); a 404 for an id that exists nowhere is not an access to
anything and is not recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Final

from django.apps import apps

from opennrm.audit.services import record
from opennrm.tenancy.actor import Actor

# URL keyword -> the model it names.
OBJECT_MODELS: Final[Mapping[str, str]] = {
    "case_id": "cases.Case",
    "consent_id": "cases.Consent",
    "referral_id": "referrals.Referral",
    "screening_id": "screening.Screening",
    "application_id": "status.StatusApplication",
    "payment_id": "status.OneTimePayment",
    "reflection_id": "status.ReflectionPeriod",
    "plan_id": "assistance.SupportPlan",
    "service_id": "assistance.ServiceDelivery",
    "provider_id": "assistance.ServiceProvider",
    "pair_id": "linkage.CandidatePair",
    "run_id": "linkage.LinkageRun",
    "job_id": "reports.ReportJob",
    "token_id": "accounts.ApiToken",
    "proceeding_id": "justice.Proceeding",
    "hearing_id": "justice.Hearing",
    "protection_id": "justice.ProtectionMeasure",
    "non_punishment_id": "justice.NonPunishment",
    "perpetrator_id": "justice.Perpetrator",
    "mla_id": "justice.MlaRequest",
    "transnational_id": "justice.TransnationalReferral",
    "operation_id": "borders.Operation",
    "incident_id": "borders.Incident",
    "training_id": "training.Training",
    "participation_id": "training.Participation",
    "certificate_id": "training.Certificate",
    "file_id": "training.TrainingFile",
    "saved_search_id": "cases.SavedSearch",
    "notification_id": "notices.Notification",
    "note_id": "casework.Note",
    "attachment_id": "casework.Attachment",
}


def _named_object(kwargs: Mapping[str, object]) -> tuple[str, uuid.UUID | None, bool]:
    """(object type, id, whether it exists) of the first object the URL names."""
    for keyword, label in OBJECT_MODELS.items():
        value = kwargs.get(keyword)
        if value is None:
            continue
        try:
            object_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        except ValueError:
            return keyword.removesuffix("_id"), None, False
        model = apps.get_model(label)
        return (
            keyword.removesuffix("_id"),
            object_id,
            model._default_manager.filter(pk=object_id).exists(),
        )
    return "", None, False


def record_refusal(
    actor: Actor, *, answer: int, kwargs: Mapping[str, object], permission: str = ""
) -> bool:
    """Record an `access.refused` event for a 403, or a 404 on an existing object; return
    whether one was recorded."""
    object_type, object_id, exists = _named_object(kwargs)
    if answer == 404 and not exists:
        return False
    detail: dict[str, object] = {"answer": answer}
    if permission:
        detail["permission"] = permission[:64]
    record(
        action="access.refused",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id if exists else None,
        detail=detail,
    )
    return True
