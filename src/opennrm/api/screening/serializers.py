"""Input shapes and output serializers of the screening API (for the OpenAPI schema too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opennrm.api.cases.serializers import GENDER_VALUES
from opennrm.nrm.screening import indicators
from opennrm.nrm.screening.labels import (
    NOT_A_FINDING,
    VERIFY_NOTICE,
    lists_to_verify,
    outcome_label,
)
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.subject import MAX_SUBJECT, open_subject

ANSWER_HELP = "Indicator id -> present | absent | unknown (ids from the indicator list's version)"
# Outside the classes: a field named `list` shadows the builtin inside a class body.
LIST_CHOICES = sorted(indicators.current_set().lists)
ANSWER_CHOICES = list(indicators.ANSWERS)
OUTCOME_CHOICES = list(indicators.OUTCOMES)
GENDER_CHOICES = GENDER_VALUES


class ScreeningCreateSerializer(serializers.Serializer[Any]):
    list = serializers.ChoiceField(
        choices=LIST_CHOICES,
        required=False,
        help_text="Which ILO/EC list: adults or children, labour or sexual exploitation "
        "(give `list` or `lists`)",
    )
    lists = serializers.ListField(
        child=serializers.ChoiceField(choices=LIST_CHOICES),
        required=False,
        min_length=1,
        max_length=2,
        help_text="A mixed screening: the labour and the sexual-exploitation list of one age "
        "group, answered together; the outcome is the union (give `list` or `lists`)",
    )
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=ANSWER_CHOICES),
        required=False,
        help_text=ANSWER_HELP,
    )
    subject = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_SUBJECT,
        help_text="Optional minimal identity for first contact (stored encrypted)",
    )
    gender = serializers.ChoiceField(choices=GENDER_CHOICES, required=False)
    case = serializers.UUIDField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("list" in attrs) == ("lists" in attrs):
            raise serializers.ValidationError({"list": "Give either list or lists."})
        attrs["list_keys"] = list(attrs.pop("lists", None) or [attrs.pop("list")])
        return attrs


class ScreeningAnswersSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=ANSWER_CHOICES), help_text=ANSWER_HELP
    )
    replace = serializers.BooleanField(
        default=False, help_text="Replace all answers (default: change only those given)"
    )
    subject = serializers.CharField(required=False, allow_blank=True, max_length=MAX_SUBJECT)


class ScreeningAttachSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()


class DimensionResultSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    number = serializers.IntegerField()
    positive = serializers.BooleanField()
    could_become_positive = serializers.BooleanField()
    present = serializers.DictField(child=serializers.IntegerField())
    absent = serializers.IntegerField()
    open = serializers.IntegerField()
    total = serializers.IntegerField()


class AssessmentSerializer(serializers.Serializer[Any]):
    """One list's assessment."""

    version = serializers.CharField()
    list = serializers.CharField()
    age_group = serializers.CharField()
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    dimensions = DimensionResultSerializer(many=True)
    requirements = serializers.DictField(child=serializers.BooleanField())
    missing = serializers.ListField(child=serializers.CharField())
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class ResultSerializer(AssessmentSerializer):
    """The first list's assessment with the union outcome, and every list's own assessment."""

    lists = serializers.ListField(child=serializers.CharField(), required=False)
    assessments = AssessmentSerializer(many=True, required=False)


class ScreeningListItemSerializer(serializers.Serializer[Screening]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    list = serializers.CharField(source="list_key")
    lists = serializers.ListField(
        source="list_keys",
        child=serializers.CharField(),
        help_text="The lists of the screening (two for a mixed labour and sexual screening)",
    )
    lists_to_verify = serializers.SerializerMethodField()
    verify_notice = serializers.SerializerMethodField()
    data_version = serializers.CharField()
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    outcome_label = serializers.SerializerMethodField()
    positive_dimensions = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    gender = serializers.CharField()
    case = serializers.UUIDField(source="case_id", allow_null=True)
    agency = serializers.CharField(source="agency.name")
    screened_at = serializers.DateTimeField()
    screened_by = serializers.SerializerMethodField()

    def get_outcome_label(self, screening: Screening) -> str:
        return outcome_label(screening.outcome)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_positive_dimensions(self, screening: Screening) -> Sequence[int]:
        """Dimensions positive in any list of the screening."""
        return indicators.positive_dimensions(screening.result)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lists_to_verify(self, screening: Screening) -> Sequence[str]:
        """Lists of this screening that are reconstructed, not checked against the brochure."""
        try:
            iset = indicators.indicator_set(screening.data_version)
        except KeyError:
            return []
        return lists_to_verify(iset, screening.list_keys)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_verify_notice(self, screening: Screening) -> str | None:
        """What the user must be told when a list is reconstructed (null when none is)."""
        return str(VERIFY_NOTICE) if self.get_lists_to_verify(screening) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_screened_by(self, screening: Screening) -> str | None:
        """The username, within the screening agency only (others see the agency)."""
        scope = self.context.get("subject_scope")
        if scope is None or not scope.shows_screener(screening):
            return None
        return screening.screened_by.get_username()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_subject(self, screening: Screening) -> str | None:
        """The minimal identity, or null where the case's identity is not shared."""
        scope = self.context.get("subject_scope")
        if scope is None or not scope.sees(screening):
            return None
        return open_subject(screening)


class ScreeningDetailSerializer(ScreeningListItemSerializer):
    answers = serializers.DictField(child=serializers.CharField())
    result = ResultSerializer()
    recommendation = serializers.SerializerMethodField()

    def get_recommendation(self, screening: Screening) -> str:
        return str(NOT_A_FINDING)
