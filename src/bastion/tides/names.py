"""Tide stations' places in the reader's language, grouped as Chinese usage files them.

The shipped files name places in English (TICON-4, NOAA); a picker shows them as an officer
reads them: 中国 · 广东 · 闸坡, with Hong Kong, Macao and Taiwan as regions of China
(stations.place). Places not listed here keep their source spelling.
"""

from __future__ import annotations

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.reference.countries import country_name
from bastion.tides.stations import Station, grouped_stations

PLACES = {
    "Beihai": lazy("Beihai"), "Dongfang": lazy("Dongfang"), "Haikou": lazy("Haikou"),
    "Kaohsiung": lazy("Kaohsiung"), "Keelung": lazy("Keelung"), "Shanwei": lazy("Shanwei"),
    "Xiamen": lazy("Xiamen"), "Zhapo": lazy("Zhapo"), "Hong Kong": lazy("Hong Kong"),
    "Hong Kong (329b)": lazy("Hong Kong (329b)"), "Macau": lazy("Macao"),
    "Macao": lazy("Macao"), "Taiwan": lazy("Taiwan"), "Fujian": lazy("Fujian"),
    "Guangdong": lazy("Guangdong"), "Guangxi": lazy("Guangxi"), "Hainan": lazy("Hainan"),
    "Currimao": lazy("Currimao"), "Ilocos": lazy("Ilocos"), "Hai Phong": lazy("Hai Phong"),
    "NEW YORK (The Battery)": lazy("New York (The Battery)"),
    "SAN FRANCISCO (Golden Gate)": lazy("San Francisco (Golden Gate)"),
    "NY": lazy("New York State"), "CA": lazy("California"),
}


def place_name(text: str) -> str:
    word = PLACES.get(text)
    return _(word) if word else text


def station_name(station: Station) -> str:
    return place_name(station.name)


def picker() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(station id, label)]) for a station picker, one entry per gauge."""
    out = []
    for country, region, items in grouped_stations():
        code = items[0].country_code
        label = country_name(code) if code else country
        if region:
            label = f"{label} · {place_name(region)}"
        out.append((label, [(s.id, f"{station_name(s)} ({s.id})") for s in items]))
    return out


def label_of(key: str | None) -> str:
    """A stored station reference (id, source id or name) as its place's name; as stored when
    it no longer names a shipped station."""
    if not key:
        return ""
    from bastion.tides.stations import StationError, get_station

    try:
        return station_name(get_station(key))
    except StationError:
        return key


def resolved_id(key: str | None) -> str | None:
    """The station id a stored reference names ("zhapo" → zhapo-635a-chn-uhslc-rq), or None."""
    if not key:
        return None
    from bastion.tides.stations import StationError, get_station

    try:
        return get_station(key).id
    except StationError:
        return None
