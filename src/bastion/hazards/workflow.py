"""The hazard's workflow on the floor's kit (``core.workflow``)::

    reported --triage--> triaged --order--> ordered --complete--> done --verify--> verified
    reported/triaged --reject (reason)--> rejected          done --return (reason)--> ordered

The command (``hazards.command``, of the hazard's organisation) triages, rejects, orders,
verifies and returns; the post given the work order (``hazards.work``) completes it, with the
quantity in the category's unit. Each transition is an event with who, when and why.
"""

from __future__ import annotations

import enum

from bastion.core.workflow import Workflow, rule
from bastion.hazards.models import HazardStatus as S


class Actor(enum.StrEnum):
    COMMAND = "command"
    POST = "post"


RULES = Workflow([
    rule("triage", [S.REPORTED], S.TRIAGED, [Actor.COMMAND]),
    rule("reject", [S.REPORTED, S.TRIAGED], S.REJECTED, [Actor.COMMAND], needs_reason=True),
    rule("order", [S.TRIAGED], S.ORDERED, [Actor.COMMAND]),
    rule("complete", [S.ORDERED], S.DONE, [Actor.POST]),
    rule("verify", [S.DONE], S.VERIFIED, [Actor.COMMAND]),
    rule("return", [S.DONE], S.ORDERED, [Actor.COMMAND], needs_reason=True),
], implies={Actor.COMMAND: {Actor.POST}})

OPEN = (S.REPORTED, S.TRIAGED, S.ORDERED)
REPAIRED = (S.DONE, S.VERIFIED)
