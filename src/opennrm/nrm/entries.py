"""Timeline entries and action items (defined in `opennrm.core.entries`, shared with cases)."""

from opennrm.core.entries import ActionItem, TimelineEntry

__all__ = ["ActionItem", "TimelineEntry"]
