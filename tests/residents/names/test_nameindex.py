"""The name index kept up beside the server (``residents.nameindex``): built once by the
keeper, never by a search; a person registered by another process found at once, a rename or
a deletion there after the keeper's next pass, a big import taken in by the keeper (a search
never reads one in itself). "Another process" is a second engine on the same SQLite file,
with its own connections; everything is committed, as between processes."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session, sessionmaker

from bastion.core import migrate
from bastion.core.db import make_engine, make_sessionmakers, read_sessions, utcnow
from bastion.core.marking import TLP, Distribution
from bastion.org.models import AgencyKind, Role
from bastion.residents import nameindex, names
from bastion.residents.models import Resident
from tests.factories import make_agency, make_user

GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Lan", "Long", "Minh"]


@pytest.fixture
def two(tmp_path):
    url = f"sqlite:///{tmp_path / 'names.db'}"
    migrate.upgrade(url)
    here, there = make_engine(url), make_engine(url)
    with Session(here) as session:
        command = make_agency(session, code="JDC", kind=AgencyKind.JOINT_DEFENCE_COMMAND)
        user = make_user(session, agency=command, role=Role.SUPERVISOR, username="huang.cmd")
        session.commit()
        ids = SimpleNamespace(command=command.id, user=user.id)
    factory = make_sessionmakers(here)
    yield SimpleNamespace(here=factory, reads=read_sessions(factory),
                          there=sessionmaker(bind=there), engine=here, **vars(ids))
    here.dispose()
    there.dispose()


def _register(w, names_: list[str]) -> None:
    """Persons written by the other process (committed)."""
    with w.there() as session:
        session.execute(insert(Resident), [
            {"name": n, "name_keys": names.keys(n), "birth_date": date(1980, 1, 1),
             "tlp": TLP.GREEN, "distribution": Distribution.ALL, "owner_org_id": w.command,
             "created_by_id": w.user, "nationality": "VNM"} for n in names_])
        session.commit()


def _found(w, query: str) -> list[str]:
    from bastion.org.models import User

    with w.reads() as session:  # a GET request's session: the keeper's index all the same
        user = session.get(User, w.user)
        return [m.resident.name for m in names.search(session, user=user, query=query)]


def _crowd(n: int, start: int = 0) -> list[str]:
    return [f"Phạm {GIVEN[i % 10]} {GIVEN[(i // 10) % 10]} {GIVEN[(i // 100) % 10]}"
            for i in range(start, start + n)]


def test_the_keeper_builds_the_index_and_takes_in_what_another_process_changes(
        two, monkeypatch):
    w = two
    _register(w, [*_crowd(300), "Nguyễn Văn An"])
    nameindex.refresh(w.here, every=5.0)  # the keeper's first pass, as the server starts
    cache = nameindex._caches[w.engine.pool]
    assert len(cache.index) == 301 and cache.kept
    built = cache.index
    assert _found(w, "阮文安")[:1] == ["Nguyễn Văn An"]
    assert cache.index is built  # the search read nothing in
    with w.reads() as session:  # GET requests read through another engine object: same index
        assert nameindex._cache(session) is cache

    _register(w, ["Lê Thị Hoa"])  # registered elsewhere: found by the next search at once
    assert _found(w, "黎氏花")[:1] == ["Lê Thị Hoa"]

    with w.there() as session:  # renamed elsewhere: the keeper's next pass takes it in
        session.execute(update(Resident).where(Resident.name == "Nguyễn Văn An").values(
            name="Trần Văn Bình", name_keys=names.keys("Trần Văn Bình")))
        session.commit()
    assert _found(w, "Trần Văn Bình") == []
    nameindex.refresh(w.here, every=5.0)
    assert _found(w, "Trần Văn Bình")[:1] == ["Trần Văn Bình"]
    assert "Nguyễn Văn An" not in _found(w, "Nguyễn Văn An")

    monkeypatch.setattr(nameindex, "ABSORB", 50)
    _register(w, ["Hoàng Văn Thắng"] + _crowd(60, 300))  # an import: too many for a search
    assert _found(w, "Hoàng Văn Thắng") == [] and len(cache.index) == 302
    nameindex.refresh(w.here, every=5.0)
    assert _found(w, "Hoàng Văn Thắng")[:1] == ["Hoàng Văn Thắng"]
    assert len(nameindex._caches[w.engine.pool].index) == 363

    with w.there() as session:  # deleted elsewhere
        session.execute(delete(Resident).where(Resident.name == "Lê Thị Hoa"))
        session.commit()
    nameindex.refresh(w.here, every=5.0)
    assert _found(w, "Lê Thị Hoa") == []


def test_without_a_keeper_the_search_keeps_the_index_itself(two):
    w = two
    _register(w, ["Nguyễn Văn An"])
    assert _found(w, "阮文安") == ["Nguyễn Văn An"]
    assert not nameindex._caches[w.engine.pool].kept


def test_keep_up_starts_with_the_server_on_its_own_engine_only(two):
    w = two
    _register(w, _crowd(120))

    def app(every, sessions):
        return SimpleNamespace(state=SimpleNamespace(
            settings=SimpleNamespace(residents=SimpleNamespace(names_every_s=every)),
            sessionmaker=sessions))

    async def serve() -> None:
        tasks = nameindex.keep_up(app(0.05, w.here))
        assert len(tasks) == 1
        deadline = time.monotonic() + 30
        while (w.engine.pool not in nameindex._caches
               or len(nameindex._caches[w.engine.pool].index) < 120):
            assert time.monotonic() < deadline, "the keeper built nothing"
            await asyncio.sleep(0.05)
        _register(w, ["Vũ Thị Yến"] + _crowd(10, 120))
        while len(nameindex._caches[w.engine.pool].index) < 131:
            assert time.monotonic() < deadline, "the keeper took nothing in"
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()

    asyncio.run(serve())
    assert nameindex.keep_up(app(0, w.here)) == []
    with w.engine.connect() as connection:  # tests' sessions share one connection: no thread
        assert nameindex.keep_up(app(5.0, sessionmaker(bind=connection))) == []


def test_a_new_person_is_found_at_once_after_an_edit_of_the_last_one_read(two):
    """The last person the index read was edited elsewhere (a relative added, a photo) before
    the next one was registered: the new person is still found by the next search, not held
    back until the keeper's pass (a post registering a duplicate would not be warned)."""
    w = two
    _register(w, [*_crowd(20), "Nguyễn Văn An"])
    nameindex.refresh(w.here, every=5.0)
    with w.there() as session:  # the last person read, edited elsewhere
        session.execute(update(Resident).where(Resident.name == "Nguyễn Văn An").values(
            updated_at=utcnow() + timedelta(seconds=1)))
        session.commit()
    _register(w, ["Nguyễn Văn Khải"])
    assert _found(w, "阮文凯")[:1] == ["Nguyễn Văn Khải"]
    assert _found(w, "Nguyễn Văn An")[:1] == ["Nguyễn Văn An"]
