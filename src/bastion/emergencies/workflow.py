"""A vessel's status in an emergency, enforced with the floor's workflow kit.

listed → notified → acknowledged → moving → sheltered | departed → crew ashore. The station's
officers move vessels as they hear from them (a call, a VHF report, a roll-call); the vessel's
agent acknowledges the warning (in the app: acknowledging the notification does it); the
system takes two steps by itself: "acknowledged" when the agent acknowledges the notification,
and "sheltered" when the AIS picture shows the vessel slow inside its shelter zone.
"""

from __future__ import annotations

import enum

from bastion.core.workflow import Workflow, rule
from bastion.emergencies.models import VesselStatus as S


class Actor(enum.StrEnum):
    OFFICER = "officer"  # the station's (or the maritime authority's) officers
    AGENT = "agent"  # the vessel's shipping agent
    SYSTEM = "system"  # the AIS check, the notification's acknowledgement


TOLD = (S.NOTIFIED, S.ACKNOWLEDGED)
UNDER_WAY = (*TOLD, S.MOVING)

WORKFLOW: Workflow[S, Actor] = Workflow([
    rule("notify", [S.LISTED], S.NOTIFIED, [Actor.OFFICER, Actor.SYSTEM]),
    rule("acknowledge", [S.NOTIFIED], S.ACKNOWLEDGED, [Actor.OFFICER, Actor.AGENT, Actor.SYSTEM]),
    rule("move", [S.LISTED, *TOLD], S.MOVING, [Actor.OFFICER]),
    rule("shelter", [S.LISTED, *UNDER_WAY], S.SHELTERED, [Actor.OFFICER, Actor.SYSTEM]),
    rule("depart", [S.LISTED, *UNDER_WAY], S.DEPARTED, [Actor.OFFICER]),
    rule("ashore", [S.LISTED, *UNDER_WAY, S.SHELTERED], S.CREW_ASHORE, [Actor.OFFICER]),
    # a vessel seen leaving its shelter, or a mistaken step: back under way, with the reason
    rule("reopen", [S.SHELTERED, S.DEPARTED, S.CREW_ASHORE], S.MOVING, [Actor.OFFICER],
         needs_reason=True),
])

ACTIONS = tuple(r.action for r in WORKFLOW.rules)
