"""Every level the linkage model can put in a pair's explanation is shown to a reviewer by a
label of its own, in Ukrainian too: a level added to the model without one would reach the
review page as the model's English string."""

from __future__ import annotations

from django.utils import translation

from opennrm.linkage.engine.model import comparisons
from opennrm.web.linkage.presenters import FIELD_LABELS, LEVEL_LABELS


def test_every_level_and_field_of_the_model_has_a_ukrainian_label() -> None:
    levels = {
        level["label_for_charts"]
        for comparison in comparisons()
        for level in comparison["comparison_levels"]
    }
    fields = {comparison["output_column_name"] for comparison in comparisons()}
    assert "same consonants" in levels  # the model's newest levels are among them
    assert levels - set(LEVEL_LABELS) == set()
    assert fields - set(FIELD_LABELS) == set()
    with translation.override("uk"):
        untranslated = {
            label for label in levels if str(LEVEL_LABELS[label]) == label and label.isascii()
        }
    assert untranslated == set()
