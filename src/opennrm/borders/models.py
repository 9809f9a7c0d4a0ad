"""Where people are found: group identification operations (a border check at a crossing point,
a police raid, a labour inspection, an evacuation), departures stopped at the border (counted
apart from victims), and incidents (a trafficking or attempted-trafficking event with its victims
and perpetrators, IDP or not).

Code fields hold codes of `core/data/borders_code_lists.csv`; a crossing point's code starts with
its oblast (`UA-59-Bachivsk`). Perpetrators and proceedings are referred to by string keys:
this package never imports the justice package (they are siblings in the layers).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Operation(models.Model):
    """An operation in which several potential victims were identified at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, related_name="operations"
    )
    kind = models.CharField(_("kind of operation"), max_length=24)
    held_on = models.DateField(_("date"))
    crossing_point = models.CharField(_("crossing point"), max_length=32, blank=True)
    oblast = models.CharField(_("oblast"), max_length=8, blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="operations", blank=True)
    proceeding = models.ForeignKey(
        "justice.Proceeding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operations",
    )
    perpetrators = models.ManyToManyField(
        "justice.Perpetrator", related_name="operations", blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-held_on", "-recorded_at")

    def __str__(self) -> str:
        return f"operation {self.id}"


class Stop(models.Model):
    """Persons stopped at the border before exploitation: a prevented departure or an attempted
    trafficking. Counted apart from victims (no case unless one is opened)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24)
    crossing_point = models.CharField(_("crossing point"), max_length=32)
    stopped_on = models.DateField(_("date"))
    persons = models.PositiveIntegerField(_("persons stopped"))
    children = models.PositiveIntegerField(_("of whom children"), default=0)
    destination = models.CharField(_("country of destination"), max_length=2, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-stopped_on", "-recorded_at")

    def __str__(self) -> str:
        return f"stop {self.id}"


class Incident(models.Model):
    """One trafficking or attempted-trafficking event: several victims can take part (the
    persons count), some of them registered as cases; IDP status with the region of origin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24)
    occurred_on = models.DateField(_("date"))
    oblast = models.CharField(_("oblast"), max_length=8, blank=True)
    victims = models.PositiveIntegerField(_("persons involved"))
    involves_idp = models.BooleanField(_("involves internally displaced persons"), default=False)
    idp_origin = models.CharField(_("IDPs' region of origin"), max_length=24, blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="incidents", blank=True)
    perpetrators = models.ManyToManyField(
        "justice.Perpetrator", related_name="incidents", blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-occurred_on", "-recorded_at")

    def __str__(self) -> str:
        return f"incident {self.id}"
