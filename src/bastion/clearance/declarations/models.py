"""Row models of the FAL declarations, built only from rows that passed validation.

Plain dataclasses: the validator has already checked every value, and the port-call service
maps them onto its ORM rows in its own transaction. Field comments name the FAL box; the
column table in ``forms.py`` holds the same mapping for headings. ``sheet`` and ``row`` say where
the row came from, so later checks (``cross_check``) can point at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass
class Located:
    sheet: str | None
    row: int


@dataclass
class Person(Located):
    family_name: str  # FAL 5/6 'Family name'
    given_names: str | None  # 'Given names'
    nationality: str  # 'Nationality', ISO 3166 alpha-3 (or ICAO 9303 code)
    birth_date: date  # 'Date and place of birth'
    birth_place: str
    gender: str  # 'Gender': M, F or X
    document_type: str  # 'Nature of identity document' (core.reference.people.DOCUMENT_TYPES)
    document_number: str  # 'Serial number of identity document'
    issuing_state: str  # 'Issuing State of identity document'
    expiry_date: date  # 'Expiry date of identity document'
    embarkation_port: str | None  # 'Port of embarkation', UN/LOCODE
    visa_number: str | None  # 'Visa number, if appropriate'
    no: int | None = None
    mrz: str | None = None  # ICAO 9303 MRZ when given; check digits verified

    @property
    def document_key(self) -> tuple[str, str]:
        """A document is the pair (issuing state, number without spaces or case)."""
        return self.issuing_state, "".join(self.document_number.split()).upper()


@dataclass
class CrewMember(Person):  # FAL 5 crew list
    rank: str = ""  # 'Rank or rating'


@dataclass
class Passenger(Person):  # FAL 6 passenger list
    disembarkation_port: str = ""  # 'Port of disembarkation'
    transit: bool = False  # 'Transit passenger or not'


@dataclass
class GeneralDeclaration(Located):  # FAL 1
    vessel_name: str  # box 1.1
    imo: str  # box 1.2, seven digits (check digit may be wrong: a warning only)
    mmsi: str | None
    call_sign: str  # box 1.3
    flag: str  # box 5, ISO alpha-3
    voyage_number: str  # box 1.4
    arrival_port: str  # box 3, UN/LOCODE
    eta: datetime  # box 4, local time of the port
    etd: datetime | None
    last_port: str  # box 8
    next_port: str | None
    crew_count: int  # box 13
    passenger_count: int  # box 14
    master_name: str  # box 6
    agent: str | None  # box 7


@dataclass
class StoreItem(Located):  # FAL 3 ship's stores declaration
    article: str
    quantity: float
    unit: str
    location: str | None
    no: int | None = None


@dataclass
class EffectsItem(Located):  # FAL 4 crew's effects declaration
    family_name: str
    given_names: str | None
    rank: str
    description: str
    quantity: float
    no: int | None = None


@dataclass
class DangerousGoodsItem(Located):  # FAL 7 dangerous goods manifest
    un_number: str  # four digits
    shipping_name: str
    dg_class: str  # IMDG class or division
    packing_group: str | None  # I, II, III; absent for classes 1, 2, 7 and some others
    quantity: float
    unit: str
    stowage: str | None
    no: int | None = None


@dataclass
class HealthDeclaration(Located):  # IHR (2005) Annex 8, Maritime Declaration of Health
    ports_last_30_days: str
    affected_area: bool
    deaths: bool  # health question 1
    infectious_suspected: bool  # 2
    ill_above_normal: bool  # 3
    ill_now: bool  # 4
    medical_consulted: bool  # 5
    infection_condition: bool  # 6
    sanitary_measures: bool  # 7
    stowaways: bool  # 8
    sick_animals: bool  # 9
    master_name: str
    sanitation_certificate: str | None = None
    deaths_count: int | None = None
    ill_count: int | None = None
    sanitary_details: str | None = None
    stowaways_joined: str | None = None

    @property
    def alarming(self) -> bool:
        """Any answer the port health authority must look at before free pratique."""
        return any((self.affected_area, self.deaths, self.infectious_suspected,
                    self.ill_above_normal, self.ill_now, self.infection_condition,
                    self.sick_animals))


@dataclass
class IllPerson(Located):  # IHR Annex 8 attachment: one case of illness or death
    name: str
    rank: str
    age: int
    gender: str
    nationality: str
    port_joined: str
    date_joined: date
    illness: str
    onset_date: date
    reported: bool
    disposal: str
    treatment: str | None = None
    comments: str | None = None
    no: int | None = None


MODELS = {"crew": CrewMember, "passengers": Passenger, "general": GeneralDeclaration,
          "stores": StoreItem, "effects": EffectsItem, "dg": DangerousGoodsItem,
          "crew_out": CrewMember, "passengers_out": Passenger,
          "health": HealthDeclaration, "health_ill": IllPerson}
