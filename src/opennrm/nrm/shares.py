"""Signals between the parts of the NRM workflow, which never import each other.

The status procedure announces when the personal file reaches the deciding agency and when it
leaves it; the referrals part answers by opening and ending the share with purpose
`StatusApplication` (docs/status-procedure.md, "The decider's share"). Receivers run in the
sender's transaction, so a forward and its share commit or fail together.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: actor, case, agency (the deciding agency), application_id, on (the step's date)
file_reached_decider = Signal()
# kwargs: actor, case, agency, application_id, on, action (the step that took the file away)
file_left_decider = Signal()
