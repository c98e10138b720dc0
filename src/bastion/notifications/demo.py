"""Demo of acknowledged notifications (SYNTHETIC): the Yangjiang station tells the shipping
agency, for one of its vessels, and a duty team officer of a typhoon warning, to acknowledge
within 30 minutes (else reminders, then the station's supervisor is told); a second, earlier
notice was acknowledged by the agency already. The sender's view shows both."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from bastion.core.i18n import lazy
from bastion.notifications.models import Severity
from bastion.notifications.service import ForAgency, acknowledge, get_mine, notify
from bastion.org.models import User

TYPHOON = lazy("Typhoon warning: move {vessel} to shelter")
TYPHOON_BODY = lazy("Typhoon {name} is expected within 48 hours. Acknowledge, and report when "
                    "the vessel is in the shelter area.")
PILOT = lazy("Boarding inspection of {vessel} moved to the berth")


def load(session: Session, *, users: dict[str, User], agencies: dict[str, int]) -> list[int]:
    station, agent = users["chen.supervisor"], users["agent.yj"]
    earlier = notify(
        session, recipients=[ForAgency(agencies["YJ-AGT"], vessel="OCEAN PEARL (SYNTHETIC)")],
        title=PILOT, params={"vessel": "OCEAN PEARL (SYNTHETIC)"}, severity=Severity.WARNING,
        sender=station, ack_within=timedelta(hours=2), escalate_to=[station])
    assert earlier is not None
    acknowledge(session, user=agent, copy=get_mine(session, user=agent,
                                                   notification_id=earlier.id))
    pending = notify(
        session, recipients=[ForAgency(agencies["YJ-AGT"], vessel="粤阳江渔12（SYNTHETIC）"),
                             users["li.officer"]],
        title=TYPHOON, body=TYPHOON_BODY, severity=Severity.URGENT, sender=station,
        params={"vessel": "粤阳江渔12（SYNTHETIC）", "name": "SYNTHETIC-01"},
        ack_within=timedelta(minutes=30), escalate_to=[station],
        link="/notifications")
    assert pending is not None
    session.flush()
    return [earlier.id, pending.id]


