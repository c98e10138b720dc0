"""Learned places in the database: replaced whole, learned from stored positions or with the
``learn-places`` command, given to the engines, and drawn on the map for those who may see it."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from functools import cache

import pytest
from sqlalchemy import insert, select
from tests.factories import make_agency, make_user
from tests.maritime.places.suez import fixes, half
from tests.web_helpers import login
from typer.testing import CliRunner

from bastion.maritime.places import learn, service
from bastion.maritime.places.models import LearnedPlace
from bastion.maritime.tracks.models import Position
from bastion.org.models import AgencyKind, Role


@cache
def _early_cells():
    return tuple(learn((mmsi, fixes(track)) for mmsi, track in half(True).items()))


def _kinds(cells) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in cells:
        out[c.kind] = out.get(c.kind, 0) + 1
    return out


def test_the_learned_set_is_replaced_whole_and_read_back(session):
    cells = list(_early_cells())
    assert service.replace(session, cells=cells, cell_m=1000.0, source="suez") == len(cells)
    back = service.stored_cells(session)
    assert _kinds(back) == _kinds(cells)
    assert {(round(c.lat, 6), round(c.lon, 6)) for c in back} == \
        {(round(c.lat, 6), round(c.lon, 6)) for c in cells}
    service.replace(session, cells=cells[:3], cell_m=1000.0, source="again")
    assert session.scalar(select(LearnedPlace.source).distinct()) == "again"
    assert len(service.stored_cells(session)) == 3
    # The places rebuilt from the rows answer as those built from the cells.
    places = service.known_places(session)
    assert places.anchorage_m(cells[0].lat, cells[0].lon) == 0.0


def test_learning_from_stored_positions_equals_learning_from_the_recording(session):
    # Stored once per vessel and time (the recording repeats a few vessel-minutes).
    kept: dict[tuple[int, float], tuple] = {}
    for mmsi, track in half(True).items():
        for m in track:
            kept.setdefault((mmsi, m["t"]), (m["t"], m["lat"], m["lon"], None))
    session.execute(insert(Position), [
        {"mmsi": mmsi, "at": datetime.fromtimestamp(t, UTC), "lat": f[1], "lon": f[2],
         "speed": None} for (mmsi, t), f in kept.items()])
    by_vessel: dict[int, list] = {}
    for (mmsi, _t), f in sorted(kept.items()):
        by_vessel.setdefault(mmsi, []).append(f)
    learner = service.learn_from_positions(session)
    assert learner.vessels == len(half(True)) and learner.fixes == len(kept)
    def order(c):
        return c.kind, c.row, c.col

    assert sorted(learner.cells(), key=order) == sorted(learn(by_vessel.items()), key=order)
    assert _kinds(learner.cells())["water"] >= 400
    recent = service.learn_from_positions(session, since=datetime(2021, 3, 21, tzinfo=UTC))
    assert recent.fixes < learner.fixes


def test_engines_are_built_with_the_ports_and_the_stored_places(session, session_factory,
                                                                settings):
    from bastion.maritime.feeds import build_engine

    service.replace(session, cells=list(_early_cells()), cell_m=1000.0, source="suez")
    session.flush()
    engine = build_engine(None, settings, session_factory)
    assert engine.places is not None and engine.places.water
    assert engine.anchorage_m(29.9667, 32.5167) == 0.0  # Suez, UN/LOCODE
    assert engine.places.is_water(30.6072, 32.3155)  # the canal at Ismailia, learned
    ports_only = build_engine(None, settings)
    assert ports_only.places is not None and not ports_only.places.water


def _write_marinecadastre(path, tracks) -> None:
    """Real fixes written in the MarineCadastre CSV schema (the Suez rows have no speed)."""
    columns = ["MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading", "VesselName",
               "IMO", "CallSign", "VesselType", "Status", "Length", "Width", "Draft", "Cargo",
               "TransceiverClass"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        for mmsi, track in tracks.items():
            for m in track:
                when = datetime.fromtimestamp(m["t"], UTC).strftime("%Y-%m-%dT%H:%M:%S")
                out.writerow([mmsi, when, m["lat"], m["lon"], "", "", "", "", "", "", "", "",
                              "", "", "", "", "A"])


def test_learn_places_command_from_a_recording_and_its_mistakes(tmp_path, monkeypatch):
    from bastion.cli import app
    from bastion.core import migrate
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine

    url = f"sqlite:///{tmp_path / 'places.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    recording = tmp_path / "suez-early.csv"
    _write_marinecadastre(recording, half(True))
    runner = CliRunner()
    try:
        dry = runner.invoke(app, ["ais", "learn-places", str(recording), "--dry-run"])
        assert dry.exit_code == 0, dry.output
        kinds = _kinds(_early_cells())
        assert f"{kinds['anchorage']} anchorage points, {kinds['water']} water cells" \
            in " ".join(dry.output.split())
        with make_engine(url).connect() as connection:
            assert connection.execute(select(LearnedPlace.id)).first() is None
        done = runner.invoke(app, ["ais", "learn-places", str(recording)])
        assert done.exit_code == 0, done.output
        with make_engine(url).connect() as connection:
            stored = connection.execute(select(LearnedPlace.kind, LearnedPlace.source)).all()
        assert len(stored) == sum(kinds.values())
        assert {source for _kind, source in stored} == {"suez-early.csv"}
        neither = runner.invoke(app, ["ais", "learn-places"])
        assert neither.exit_code == 2 and "--stored" in neither.output
        both = runner.invoke(app, ["ais", "learn-places", str(recording), "--stored"])
        assert both.exit_code == 2
        stray = runner.invoke(app, ["ais", "learn-places", str(recording), "--since-days", "3"])
        assert stray.exit_code == 2 and "--since-days" in stray.output
        stored_run = runner.invoke(app, ["ais", "learn-places", "--stored", "--dry-run"])
        assert stored_run.exit_code == 0 and "from 0 vessels" in stored_run.output
    finally:
        get_settings.cache_clear()


SUEZ_BOX = "32.2,29.7,32.7,31.9"


@pytest.mark.parametrize(("username", "sees"), [("a.viewer", True), ("b.officer", True),
                                               ("village", False), ("agent", False)])
def test_the_map_layer_by_kind_of_user(client, session, world, username, sees):
    make_user(session, agency=make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE),
              role=Role.ADMIN, username="village")
    make_user(session, agency=make_agency(session, kind=AgencyKind.SHIPPING_AGENCY),
              role=Role.ADMIN, username="agent")
    service.replace(session, cells=list(_early_cells()), cell_m=1000.0, source="suez")
    session.flush()
    login(client, username)
    response = client.get(f"/maritime/places.geojson?bbox={SUEZ_BOX}")
    if not sees:
        assert response.status_code in (403, 404)
        assert "features" not in response.text
        return
    assert response.status_code == 200
    features = response.json()["features"]
    kinds = {f["properties"]["kind"] for f in features}
    assert kinds == {"port", "learned_anchorage", "learned_water"}
    suez = next(f for f in features if f["properties"].get("locode") == "EGSUZ")
    assert suez["geometry"]["coordinates"] == [32.5167, 29.9667]
    assert suez["properties"]["radius_m"] == 4000
    assert all(32.2 <= f["geometry"]["coordinates"][0] <= 32.7 for f in features)


@pytest.mark.parametrize("bbox", ["", "1,2,3", "a,b,c,d", "10,0,5,1", "0,0,30,30",
                                  "0,-91,1,1"])
def test_a_bad_bbox_is_a_clear_4xx(client, world, bbox):
    login(client, "a.viewer")
    response = client.get(f"/maritime/places.geojson?bbox={bbox}")
    assert 400 <= response.status_code < 500
    assert "bbox" in response.text


def test_the_map_layer_needs_a_login(client):
    response = client.get(f"/maritime/places.geojson?bbox={SUEZ_BOX}", follow_redirects=False)
    assert response.status_code in (303, 401)
