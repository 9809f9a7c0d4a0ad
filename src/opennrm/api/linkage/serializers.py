"""Linkage pairs out, decisions in. A pair shows, side by side, only the fields the gate lets a
reviewer see (`access.linkage.PAIR_FIELDS`); documents and phones only as agree/differ in the
model's explanation."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opennrm.linkage.models import CandidatePair

DECISIONS = [
    CandidatePair.Decision.SAME,
    CandidatePair.Decision.DIFFERENT,
    CandidatePair.Decision.UNSURE,
]


class ExplanationSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="the engine's field: name, birth_date, phone...")
    level = serializers.CharField(help_text="how the two registrations agree on it")
    weight = serializers.FloatField(help_text="for (> 0) or against (< 0) the same person")


class QueueRowSerializer(serializers.Serializer[CandidatePair]):
    id = serializers.UUIDField()
    probability = serializers.FloatField()
    weight = serializers.FloatField()
    decision = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    agreeing = serializers.SerializerMethodField(help_text="fields speaking for (weight > 2)")
    against = serializers.SerializerMethodField(help_text="fields speaking against (< -2)")
    counted_as_one = serializers.SerializerMethodField(
        help_text="whether the count of persons now takes the two registrations as one person "
        "(a pair at or above the match threshold that more than a third of the pairs between "
        "the two groups bear out, a pair below it that all of them bear out, or a reviewer's "
        "decision)"
    )

    def get_counted_as_one(self, pair: CandidatePair) -> bool:
        # The view gives the ids (linkage.queries.counted_as_one), once for its page.
        together: set[object] = self.context["counted_as_one"]
        return pair.id in together

    def get_agreeing(self, pair: CandidatePair) -> list[str]:
        return [item["field"] for item in pair.explanation if item["weight"] > 2]

    def get_against(self, pair: CandidatePair) -> list[str]:
        return [item["field"] for item in pair.explanation if item["weight"] < -2]


class SideSerializer(serializers.Serializer[Any]):
    agency = serializers.CharField()
    registered = serializers.DateField(help_text="the first day of the month of registration")
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    family_name = serializers.CharField()
    birth_date = serializers.CharField(help_text="YYYY-MM-DD, YYYY-MM, YYYY or empty")
    gender = serializers.CharField()
    citizenships = serializers.ListField(child=serializers.CharField())


class PairSerializer(QueueRowSerializer):
    left = SideSerializer()
    right = SideSerializer()
    explanation = ExplanationSerializer(many=True)


class DecisionInSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=DECISIONS)
