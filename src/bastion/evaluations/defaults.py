"""The indicators an organisation starts with (version 1), until a supervisor saves its own:
(code, 中文, English, weight, maximum score)."""

from __future__ import annotations

from bastion.evaluations.models import Population

DEFAULTS: dict[Population, list[tuple[str, str, str, float, float]]] = {
    Population.AUXILIARY: [
        ("attendance", "出勤值守", "Attendance and duty", 25, 10),
        ("patrol", "巡边护边", "Patrolling the border", 30, 10),
        ("reporting", "信息报送", "Reporting information", 20, 10),
        ("outreach", "政策宣传", "Outreach in the villages", 10, 10),
        ("discipline", "遵规守纪", "Discipline", 15, 10),
    ],
    Population.PARTY_MEMBER: [
        ("study", "政治学习", "Political study", 20, 10),
        ("duty", "履职尽责", "Performing duties", 35, 10),
        ("example", "先锋模范", "Setting an example", 20, 10),
        ("conduct", "纪律作风", "Discipline and conduct", 25, 10),
    ],
}
