"""Factories for test data, written through the real services (so audit rows exist too)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bastion.org import service as org
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.org.schemas import AgencyCreate, UserCreate

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_agency(session: Session, *, code: str | None = None, name: str | None = None,
                kind: AgencyKind = AgencyKind.BORDER_INSPECTION,
                parent: Agency | None = None) -> Agency:
    n = next(_seq)
    return org.create_agency(session, actor=None, data=AgencyCreate(
        code=code or f"AG{n:04d}", name=name or f"Agency {n}", name_en=f"Agency {n}", kind=kind,
        parent_id=parent.id if parent else None))


def make_user(session: Session, *, agency: Agency, role: Role = Role.OFFICER,
              username: str | None = None, language: str | None = None) -> User:
    n = next(_seq)
    return org.create_user(session, actor=None, data=UserCreate(
        username=username or f"user{n}", display_name=f"Person {n}", agency_id=agency.id,
        role=role, password=PASSWORD, language=language))


@dataclass
class World:
    a: Agency
    a_unit: Agency
    b: Agency
    c: Agency
    author: User
    a_viewer: User
    a_supervisor: User
    a_admin: User
    a_unit_officer: User
    b_viewer: User
    b_officer: User
    b_officer2: User
    c_officer: User

    def everyone(self) -> dict[str, User]:
        return {k: v for k, v in vars(self).items() if isinstance(v, User)}


def build_world(session: Session) -> World:
    """Three organisations: A (with a unit), B and C, and people of every role."""
    a = make_agency(session, code="ORG-A", kind=AgencyKind.BORDER_INSPECTION)
    a_unit = make_agency(session, code="ORG-A-T1", kind=AgencyKind.BORDER_INSPECTION_TEAM,
                         parent=a)
    b = make_agency(session, code="ORG-B", kind=AgencyKind.BORDER_POLICE)
    c = make_agency(session, code="ORG-C", kind=AgencyKind.ARMY)
    return World(
        a=a, a_unit=a_unit, b=b, c=c,
        author=make_user(session, agency=a, role=Role.OFFICER, username="author"),
        a_viewer=make_user(session, agency=a, role=Role.VIEWER, username="a.viewer"),
        a_supervisor=make_user(session, agency=a, role=Role.SUPERVISOR, username="a.super"),
        a_admin=make_user(session, agency=a, role=Role.ADMIN, username="a.admin"),
        a_unit_officer=make_user(session, agency=a_unit, role=Role.OFFICER, username="a1.officer"),
        b_viewer=make_user(session, agency=b, role=Role.VIEWER, username="b.viewer"),
        b_officer=make_user(session, agency=b, role=Role.OFFICER, username="b.officer"),
        b_officer2=make_user(session, agency=b, role=Role.OFFICER, username="b.officer2"),
        c_officer=make_user(session, agency=c, role=Role.OFFICER, username="c.officer"),
    )
