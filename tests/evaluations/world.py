"""People to assess: the patrol tests' border world (a command, posts A and B, partners, a
village committee, a port station, a shipping agent) with a supervisor at the station, and
on the duty lists two auxiliaries at each post and two party members at the station."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bastion.duty.rosters.models import DutyPerson
from bastion.org.models import Role
from tests.border.patrols.field_world import FieldWorld, build
from tests.factories import make_user

API = "/api/v1/evaluations"
SCORES = {"attendance": 9.5, "patrol": 9.5, "reporting": 9.0, "outreach": 9.0, "discipline": 10}
MEMBER_SCORES = {"study": 8, "duty": 8, "example": 8, "conduct": 8}


@dataclass
class EvalWorld:
    f: FieldWorld
    a1: DutyPerson
    a2: DutyPerson
    b1: DutyPerson
    m1: DutyPerson

    def __getattr__(self, name: str) -> Any:
        return getattr(self.f, name)

    def headers(self, client, who: str) -> dict[str, str]:
        return self.f.headers(client, who)


def build_eval(session: Session) -> EvalWorld:
    f = build(session)
    f.users["port_super"] = make_user(session, agency=f.port, role=Role.SUPERVISOR)

    def person(name: str, org, unit) -> DutyPerson:
        p = DutyPerson(org_id=org.id, unit_id=unit.id, name=name, roles=[])
        session.add(p)
        session.flush()
        return p

    w = EvalWorld(f=f, a1=person("农振华", f.command, f.post_a),
                  a2=person("马文斌", f.command, f.post_a),
                  b1=person("陆海峰", f.command, f.post_b),
                  m1=person("林志远", f.port, f.port))
    session.commit()
    return w


def assess(client, w: EvalWorld, who: str, person: DutyPerson, month: str = "2026-11",
           scores: dict[str, float] | None = None, **extra: Any):
    body = {"person_id": person.id, "month": month,
            "scores": scores or (MEMBER_SCORES if person is w.m1 else SCORES), **extra}
    return client.post(f"{API}/assessments", json=body, headers=w.headers(client, who))
