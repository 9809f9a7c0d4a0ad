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


class ConsentOutSerializer(serializers.Serializer[Consent]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    legal_basis = serializers.CharField()
    purposes = serializers.ListField(child=serializers.CharField())
    data_categories = serializers.ListField(child=serializers.CharField())
    recipient_id = serializers.UUIDField(allow_null=True)
    given_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    withdrawn_on = serializers.DateField(allow_null=True)


class WithdrawalOutSerializer(serializers.Serializer[Any]):
    consent = ConsentOutSerializer()
    ended_referrals = serializers.ListField(
        child=serializers.UUIDField(), help_text="the referrals and shares the consent covered"
    )
