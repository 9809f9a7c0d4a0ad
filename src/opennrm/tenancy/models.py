from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opennrm.core.codes import AGENCY_KIND, code_list


class Agency(models.Model):
    """An NRM partner: an NGO, a police unit, a border guard detachment, a hromada office..."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    # The name in each language of the interface; `name` (the name the agency registered
    # under, unique) shows where the language's own is blank.
    name_uk = models.CharField(_("name in Ukrainian"), max_length=200, blank=True, default="")
    name_en = models.CharField(_("name in English"), max_length=200, blank=True, default="")
    kind = models.CharField(
        _("kind"),
        max_length=64,
    )
    oblast = models.CharField(
        _("oblast"),
        max_length=8,
        blank=True,
    )
    # ISO 3166-1 alpha-2: the country the agency works in (an NRM partner abroad, a consulate).
    country = models.CharField(_("country"), max_length=2, default="UA")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The agency's name in the interface's language (its registered name when none)."""
        english = (get_language() or "uk").startswith("en")
        return (self.name_en if english else self.name_uk) or self.name

    @property
    def kind_label(self) -> str:
        return code_list(AGENCY_KIND).label(self.kind)

    @property
    def htcds_org_type(self) -> str:
        """The HTCDS organisation type this agency kind maps to."""
        return code_list(AGENCY_KIND).get(self.kind).htcds_equivalent


class Membership(models.Model):
    """A user's role in an agency. A user belongs to one agency and may hold several roles."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        _("role"),
        max_length=32,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="membership_one_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.role}@{self.agency_id}"
