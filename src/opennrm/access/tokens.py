"""The gate of API tokens: when a token may be used, and who may list and revoke it.

A token works only while it is neither revoked nor expired, its user is active, acts for
exactly one agency through an active membership (`tenancy.actor.actor_for`), and is not
locked out by django-axes. Its owner lists and revokes their own tokens; an agency admin
(role `agency_admin` with `user.manage`) those of the users of their agency. Anyone else is
told the token does not exist (404), the same as a missing one.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import USER_MANAGE
from opennrm.accounts.models import ApiToken
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Membership

AGENCY_ADMIN = "agency_admin"

# Why a known token is refused (codes in the audit trail).
REVOKED, EXPIRED, INACTIVE, NO_AGENCY, LOCKED_OUT = (
    "revoked",
    "expired",
    "inactive",
    "no_agency",
    "locked_out",
)


def refusal(api_token: ApiToken, request: HttpRequest) -> str | None:
    """Why this token may not be used now, or None when it may."""
    if api_token.revoked_at is not None:
        return REVOKED
    if api_token.expires_at <= timezone.now():
        return EXPIRED
    user = api_token.user
    if not user.is_active:
        return INACTIVE
    if actor_for(user).agency is None:
        return NO_AGENCY
    if AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()}):
        return LOCKED_OUT
    return None


def administers_tokens(actor: Actor) -> bool:
    """An agency admin: manages the tokens of their agency's users."""
    return (
        actor.agency is not None and AGENCY_ADMIN in actor.roles and policy.can(actor, USER_MANAGE)
    )


def visible_tokens(actor: Actor) -> QuerySet[ApiToken]:
    """The tokens an actor may list: their own, and for an agency admin their agency's."""
    mine = Q(user=actor.user)
    if not administers_tokens(actor):
        return ApiToken.objects.filter(mine).select_related("user")
    members = Membership.objects.filter(agency=actor.agency, is_active=True).values("user_id")
    return ApiToken.objects.filter(mine | Q(user_id__in=members)).select_related("user")


def own_tokens(actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor.user).select_related("user")


def get_token_for(actor: Actor, token_id: object) -> ApiToken:
    """A token the actor may revoke; 404 when it is not theirs to see (or does not exist)."""
    try:
        return visible_tokens(actor).get(id=_as_uuid(token_id))
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
