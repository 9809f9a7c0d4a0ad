"""Output of the current user."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opennrm.api.agencies.serializers import AgencyOutSerializer


class MeOutSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    username = serializers.CharField()
    agency = AgencyOutSerializer(allow_null=True, help_text="null: the user acts with no rights")
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(
        child=serializers.CharField(), help_text="what the roles grant (docs/permissions.md)"
    )
