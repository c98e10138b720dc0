"""The demo's year reproduces the seed report's figures from its records, through the annual
report as the command reads it (issue 16): 7.2 km of road, 45 landslides, 14 water sources,
16 circuits, 200 m of fence; ¥290,000 of equipment and a ¥300 winter uniform for each
auxiliary; 1 skills training, 4 military-civil and 4 quarterly meetings, 3 tactical drills,
a Monday meeting and a study day every week; 37 auxiliaries excellent; 680 outreach visits
reaching 40,000 people; 3 cross-border cases with 5 persons (issue 17). Each number is counted
from the records when the report is asked for; nothing is stored as a total."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bastion import demo
from bastion.hazards import demo as hazards_demo
from tests.web_helpers import api_token


def _figures(client, year: int) -> dict:
    got = client.get("/api/v1/reports/figures", params={"year": year},
                     headers=api_token(client, "huang.command", demo.DEMO_PASSWORD))
    assert got.status_code == 200, got.text
    return {f["key"]: f["value"] for s in got.json()["sections"] for f in s["figures"]}


def test_the_demo_year_is_the_seed_report_s(client, session):
    demo.load(session)
    session.commit()
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    found = _figures(client, year)
    repairs = _figures(client, hazards_demo.year()[0].year)
    assert {k: repairs[k] for k in hazards_demo.EXPECTED} == hazards_demo.EXPECTED
    assert found["supplies.purchased_cny"] == 290_000
    assert found["supplies.winter_uniform_cny"] == 300 * found["supplies.winter_uniforms"] > 0
    assert (found["training.skills_trainings"], found["training.meetings_military_civil"],
            found["training.meetings_quarterly"], found["training.drills_tactical"]) == (1, 4, 4, 3)
    assert found["training.meetings_weekly"] >= 52 and found["training.study_days"] >= 52
    assert found["evaluations.excellent"] == 37
    assert (found["outreach.visits"], found["outreach.people_reached"]) == (680, 40_000)
    assert (found["cases.cross_border"], found["cases.cross_border_persons"]) == (3, 5)
