"""Checks across the declarations of one port call, once each file is valid on its own.

A person on both the crew and the passenger list is a typing error or a person being
counted twice; FAL 1's crew and passenger counts must match the lists it summarises; and every
document must outlast the departure FAL 1 declares.
"""

from __future__ import annotations

from collections.abc import Sequence

from bastion.core.i18n import gettext as _

from .models import CrewMember, GeneralDeclaration, Passenger, Person
from .problems import Problem
from .rules import expired_message


def cross_check(general: GeneralDeclaration | None, crew: Sequence[CrewMember],
                passengers: Sequence[Passenger]) -> list[Problem]:
    """Problems between FAL 1, the FAL 5 crew list and the FAL 6 passenger list."""
    problems: list[Problem] = []
    on_crew = {member.document_key: member for member in crew}
    for passenger in passengers:
        member = on_crew.get(passenger.document_key)
        if member is not None:
            problems.append(Problem(
                None, passenger.sheet, passenger.row, "Document number", "DOCUMENT_IN_CREW_AND_PASSENGERS",
                _("The document %(number)s is also on the crew list (row %(row)s)")
                % {"number": passenger.document_number, "row": member.row}))
    if general is None:
        return problems
    for key, people, label in (("crew_count", crew, "Number of crew"),
                               ("passenger_count", passengers, "Number of passengers")):
        declared = getattr(general, key)
        if declared != len(people):
            code = "CREW_COUNT_MISMATCH" if key == "crew_count" else "PASSENGER_COUNT_MISMATCH"
            problems.append(Problem(
                None, general.sheet, general.row, label, code,
                _("The general declaration gives %(declared)s but the list has %(listed)s")
                % {"declared": declared, "listed": len(people)}))
    if general.etd is not None:
        end = general.etd.date()
        people: Sequence[Person] = [*crew, *passengers]
        for person in people:
            if person.expiry_date < end:
                problems.append(Problem(None, person.sheet, person.row, "Expiry date",
                                        "EXPIRED_DOCUMENT",
                                        expired_message(person.expiry_date, end)))
    return problems
