"""The residents' demo on top of the land-border demo: about forty SYNTHETIC persons in the
demo villages with names as written, documents, marriages (some not registered), crossings at
recognised ports and a couple at non-designated paths; the village committee sees its own
village only; fast enough for `make run`."""

from __future__ import annotations

import time
import unicodedata

from sqlalchemy import func, select

from bastion import demo
from bastion.border.geo.models import BorderPlace
from bastion.org.models import User
from bastion.residents import access
from bastion.residents import demo as residents_demo
from bastion.residents.crossings.models import Crossing
from bastion.residents.models import Marriage, Resident, ResidentDocument


def test_demo_loads_quickly_with_need_to_know(session):
    demo.load(session, residents=False)
    users = {u.username: u for u in session.scalars(select(User))}
    started = time.perf_counter()
    made = residents_demo.load(session, users=users)
    session.flush()
    elapsed = time.perf_counter() - started
    print(f"residents demo: {elapsed:.2f} s")
    assert elapsed < 3.0
    assert len(made) == residents_demo.PERSONS
    assert all(r.synthetic and r.notes.startswith("SYNTHETIC") for r in made)
    assert any(unicodedata.normalize("NFD", r.name) != r.name for r in made)  # diacritics
    assert sum(1 for r in made if r.name_han) >= 15
    crossings = session.scalars(select(Crossing)).all()
    assert len(crossings) > 100
    undesignated = [c for c in crossings if not c.designated]
    assert 1 <= len(undesignated) <= 4 and all("SYNTHETIC" in c.path for c in undesignated)
    assert {m.registered for m in session.scalars(select(Marriage))} == {True, False}
    assert session.scalar(select(func.count()).select_from(ResidentDocument).where(
        ResidentDocument.type_code == "744")) == residents_demo.PERSONS
    # the committee of 念井村 sees exactly the residents of 念井村
    nianjing = session.scalar(select(BorderPlace).where(BorderPlace.name == "念井村"))
    seen = set(session.scalars(access.residents_query(users["ma.village"]).with_only_columns(
        Resident.id)))
    assert seen and seen == {r.id for r in made if r.village_id == nianjing.id}
    # the Pingmeng post sees its villages; the Bainan auxiliary others; the army nothing
    pm = set(session.scalars(access.residents_query(users["nong.post"]).with_only_columns(
        Resident.id)))
    bn = set(session.scalars(access.residents_query(users["lu.auxiliary"]).with_only_columns(
        Resident.id)))
    assert pm and bn and not pm & bn and seen <= pm
    assert len(set(session.scalars(access.residents_query(users["huang.command"])
                                   .with_only_columns(Resident.id)))) == residents_demo.PERSONS
    police = set(session.scalars(access.residents_query(users["wei.police"]).with_only_columns(
        Resident.id)))
    assert 0 < len(police) < residents_demo.PERSONS
