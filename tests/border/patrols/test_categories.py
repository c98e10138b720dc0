"""The observation tree as data: seeded per organisation (again changes nothing, a unit's
own edits stay), and each attribute type checked with its bounds."""

from __future__ import annotations

import pytest

from bastion.border.patrols import categories
from bastion.border.patrols.models import ObservationCategory
from bastion.core.errors import Invalid
from bastion.org.models import AgencyKind
from tests.factories import make_agency


def test_seeding_is_per_organisation_and_repeatable(session):
    one = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    two = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    first = categories.seed_defaults(session, owner_org_id=one.id)
    assert first["damaged_fence"].parent_id == first["infrastructure"].id
    first["other"].label_zh = "其他情况（本单位）"
    again = categories.seed_defaults(session, owner_org_id=one.id)
    assert {k: v.id for k, v in again.items()} == {k: v.id for k, v in first.items()}
    assert again["other"].label_zh == "其他情况（本单位）"
    theirs = categories.seed_defaults(session, owner_org_id=two.id)
    assert set(theirs) == set(first) and theirs["other"].id != first["other"].id
    tree = categories.tree(session, owner_org_id=one.id)
    infrastructure = next(n for n in tree if n["code"] == "infrastructure")
    assert "damaged_fence" in [c["code"] for c in infrastructure["children"]]
    assert categories.tree(session, owner_org_id=None) == categories.defaults()


def _category(*attributes) -> ObservationCategory:
    return ObservationCategory(code="probe", label_zh="探", label_en="Probe",
                               attributes=list(attributes))


NUMBER = {"key": "n", "type": "numeric", "min": 0, "max": 10}
DAY = {"key": "d", "type": "date", "min": "2026-01-01", "max": "2026-12-31"}
CHOICE = {"key": "c", "type": "list", "options": [{"code": "a"}, {"code": "b"}]}


@pytest.mark.parametrize(("spec", "value", "ok"), [
    (NUMBER, 0, True), (NUMBER, 10.0, True), (NUMBER, -1, False), (NUMBER, 11, False),
    (NUMBER, True, False), (NUMBER, "3", False),
    (DAY, "2026-06-01", True), (DAY, "2025-12-31", False), (DAY, "2026-02-30", False),
    (DAY, 20260601, False),
    (CHOICE, "a", True), (CHOICE, "z", False), (CHOICE, ["a"], False),
    ({"key": "t", "type": "text", "regex": "^[0-9]+$"}, "123", True),
    ({"key": "t", "type": "text", "regex": "^[0-9]+$"}, "12a", False),
    ({"key": "t", "type": "text", "max": 3}, "abcd", False),
    ({"key": "b", "type": "boolean"}, False, True), ({"key": "b", "type": "boolean"}, 0, False),
    ({"key": "m", "type": "multi_list", "options": [{"code": "x"}, {"code": "y"}]},
     ["x", "y"], True),
    ({"key": "m", "type": "multi_list", "options": [{"code": "x"}]}, "x", False),
])
def test_each_attribute_type(spec, value, ok):
    category = _category(spec)
    if ok:
        assert categories.validate(category, {spec["key"]: value}) == {spec["key"]: value}
    else:
        with pytest.raises(Invalid) as refused:
            categories.validate(category, {spec["key"]: value})
        assert refused.value.field == f"attributes.{spec['key']}"


def test_required_and_empty_values():
    category = _category({**NUMBER, "required": True}, {"key": "t", "type": "text"})
    with pytest.raises(Invalid) as refused:
        categories.validate(category, {"t": "x"})
    assert refused.value.field == "attributes.n"
    assert categories.validate(category, {"n": 1, "t": ""}) == {"n": 1}
