"""Output of the agency directory."""

from __future__ import annotations

from rest_framework import serializers

from opennrm.tenancy.models import Agency


class AgencyOutSerializer(serializers.Serializer[Agency]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="a code of the agency_kind list")
    oblast = serializers.CharField(help_text="ISO 3166-2:UA, empty for a national body")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
