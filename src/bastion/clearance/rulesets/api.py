"""REST API of a station's pre-check rules (read by officers, saved by supervisors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bastion.clearance.rulesets import service
from bastion.core.pagination import Page, PageDep, paginate
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/clearance/precheck-rules", tags=["port clearance"])


class RulesIn(BaseModel):
    rules: list[dict[str, Any]] = Field(description="id, test, value, level, enabled, "
                                                    "reason {en, zh-CN} (optional)")
    note: str | None = Field(default=None, max_length=2000)


class RulesPublic(BaseModel):
    version: int = Field(description="0: the shipped defaults")
    rules: list[dict[str, Any]]
    saved_at: datetime | None = None
    note: str | None = None


def _station_staff(user) -> None:
    """The rules are read by those who read pre-checks (never an agent: they would show how
    to slip through)."""
    from bastion.org import capabilities

    capabilities.require(user, "precheck.read")


@router.get("", response_model=RulesPublic)
def current(session: SessionDep, user: CurrentUser) -> RulesPublic:
    _station_staff(user)
    saved = service.latest(session, station_org_id=user.organisation_id)
    if saved is None:
        return RulesPublic(version=0, rules=service.defaults())
    return RulesPublic(version=saved.version, rules=saved.rules, saved_at=saved.saved_at,
                       note=saved.note)


@router.put("", response_model=RulesPublic)
def save(data: RulesIn, session: SessionDep, user: CurrentUser) -> RulesPublic:
    """Validated as a whole: every problem is named by its path and nothing is saved."""
    from bastion.core.errors import Invalid

    _station_staff(user)
    try:
        row = service.save(session, user=user, rules=data.rules, note=data.note)
    except Invalid as exc:
        problems = getattr(exc, "problems", [])
        if problems:
            from fastapi import HTTPException

            raise HTTPException(422, detail=[
                {"loc": ["body", *_path(p)], "msg": m, "type": "invalid"} for p, m in problems
            ]) from None
        raise
    return RulesPublic(version=row.version, rules=row.rules, saved_at=row.saved_at, note=row.note)


@router.get("/versions", response_model=Page[RulesPublic])
def versions(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[RulesPublic]:
    """Saved versions, newest first."""
    _station_staff(user)
    return paginate(session, service.versions_query(station_org_id=user.organisation_id), page,
                    lambda r: RulesPublic(version=r.version, rules=r.rules, saved_at=r.saved_at,
                                          note=r.note))


def _path(path: str) -> list[str | int]:
    """``rules[2].value`` -> ["rules", 2, "value"], the loc FastAPI's own errors use."""
    out: list[str | int] = []
    for part in path.replace("]", "").split("."):
        name, _bracket, index = part.partition("[")
        out.append(name)
        if index:
            out.append(int(index))
    return out
