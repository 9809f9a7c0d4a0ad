"""Writes of notifications: create (and e-mail), mark read, preferences (audited)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from opennrm.access import notices as gate
from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.notices import kinds
from opennrm.notices.models import Notification, NotificationPreference
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency


def preference(user: User, kind: str) -> tuple[bool, bool]:
    """(in the application, by e-mail) for one kind; both when the user chose nothing."""
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return (pref.in_app, pref.by_email) if pref else (True, True)


def absolute_url(path: str) -> str:
    return settings.OPENNRM_BASE_URL.rstrip("/") + path


def notify(
    *,
    users: Iterable[User],
    kind: str,
    agency: Agency | None,
    object_type: str,
    object_id: uuid.UUID,
    key: str = "",
    reference: str = "",
    purpose: str = "",
) -> list[Notification]:
    """One notification per user who wants this kind (once per event: `key`), and an e-mail
    to those who asked for one. Returns the notifications made now."""
    made = []
    for user in users:
        in_app, by_email = preference(user, kind)
        if not (in_app or by_email):
            continue
        if Notification.objects.filter(user=user, kind=kind, object_id=object_id, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    user=user,
                    kind=kind,
                    agency=agency,
                    object_type=object_type,
                    object_id=object_id,
                    key=key,
                    reference=reference,
                    purpose=purpose,
                    # Not wanted in the application: kept (so the event is not sent twice),
                    # already read.
                    read_at=None if in_app else timezone.now(),
                )
        except IntegrityError:
            continue
        if by_email and user.email:
            send_email(notice)
        made.append(notice)
    return made


def send_email(notice: Notification) -> None:
    """The e-mail of a notification: the kind, the agency and a link; nothing personal."""
    with override(settings.LANGUAGE_CODE):
        sentence = kinds.text(
            notice.kind,
            notice.agency.display_name if notice.agency else None,
            notice.reference,
            notice.purpose,
        )
        link = absolute_url(kinds.target_path(notice.object_type, notice.object_id))
        body = "\n\n".join(
            [
                sentence + ".",
                _("Open it in OpenNRM (you will be asked to log in): %(link)s") % {"link": link},
                _(
                    "You receive this message because of your notification settings in "
                    "OpenNRM. Change them at %(link)s"
                )
                % {"link": absolute_url("/notifications/preferences/")},
            ]
        )
        send_mail(
            subject="OpenNRM: " + sentence,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notice.user.email],
            fail_silently=False,
        )
    Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())


def mark_read(*, actor: Actor, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())


def mark_all_read(*, actor: Actor) -> int:
    return Notification.objects.filter(user=actor.user, read_at=None).update(read_at=timezone.now())


def set_preferences(*, actor: Actor, choices: dict[str, tuple[bool, bool]]) -> None:
    """The user's choice per kind (in the application, by e-mail); audited by kind codes.
    Only kinds the user may receive (access/notices.py) are theirs to choose."""
    unknown = set(choices) - set(kinds.KINDS)
    if unknown:
        raise ValueError(f"unknown notification kinds: {sorted(unknown)}")
    if any(not gate.may_receive(actor, kind) for kind in choices):
        raise PermissionDenied("notification kind not receivable")
    with transaction.atomic():
        for kind, (in_app, by_email) in choices.items():
            NotificationPreference.objects.update_or_create(
                user=actor.user, kind=kind, defaults={"in_app": in_app, "by_email": by_email}
            )
        record(
            action="notification.preferences_changed",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="user",
            object_id=actor.user.id,
            detail={
                "in_app": sorted(k for k, (a, _e) in choices.items() if a),
                "by_email": sorted(k for k, (_a, e) in choices.items() if e),
            },
        )
