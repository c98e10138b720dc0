from tests.hazards.world import build, report, through


def test_smoke(client, session):
    w = build(session)
    h = report(client, w)
    assert h["status"] == "reported"
    done = through(client, w, h["id"], to="verified", quantity=0.3)
    assert done["status"] == "verified"
