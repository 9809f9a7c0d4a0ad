"""API token rows: never the secret (only its digest is stored, and that is not shown either)."""

from __future__ import annotations

from rest_framework import serializers

from opennrm.accounts.models import ApiToken


class TokenOutSerializer(serializers.Serializer[ApiToken]):
    id = serializers.UUIDField()
    user_id = serializers.UUIDField()
    username = serializers.CharField(source="user.username")
    state = serializers.ChoiceField(choices=["active", "expired", "revoked"])
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
