"""Consent (a recorded legal basis) in and out."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opennrm.cases.models import Consent


class ConsentInSerializer(serializers.Serializer[Any]):
    legal_basis = serializers.CharField(max_length=32, help_text="a code of the legal_basis list")
    purposes = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20)
    data_categories = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=20
    )
    recipient = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="an agency id; null: any partner"
    )
    given_on = serializers.DateField()
    given_by = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="for a consent: Person (default), LegalRepresentative or "
        "GuardianshipAuthority (a child's consent is never the child's alone)",
    )
    representative_role = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="with LegalRepresentative: a code of the representative_role list",
    )


class ConsentOutSerializer(serializers.Serializer[Consent]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    legal_basis = serializers.CharField()
    purposes = serializers.ListField(child=serializers.CharField())
    data_categories = serializers.ListField(child=serializers.CharField())
    recipient_id = serializers.UUIDField(allow_null=True)
    given_on = serializers.DateField()
    given_by = serializers.CharField()
    representative_role = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    withdrawn_on = serializers.DateField(allow_null=True)


class WithdrawalOutSerializer(serializers.Serializer[Any]):
    consent = ConsentOutSerializer()
    ended_referrals = serializers.ListField(
        child=serializers.UUIDField(), help_text="the referrals and shares the consent covered"
    )
