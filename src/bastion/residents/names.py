"""One person, however written: Vietnamese with or without diacritics, Chinese characters
read in Sino-Vietnamese (阮文安 = Nguyễn Văn An, 黎氏花 = Lê Thị Hoa) or in pinyin, Latin
letters.

The matcher is the screening domain's (``screening.names``), which reads a Han name in
Hán-Việt beside pinyin, Wade-Giles and Cantonese and compares Vietnamese diacritics when both
names carry them (HÙNG / HƯNG, HOA / HÒA are different names). Here it is put to work on the
registry:

- ``keys``: the blocking keys of a person's names, stored in ``Resident.name_keys``;
- ``similar``: the duplicate warning at registration (persons the registrar may see only);
- ``search``: a name search across scripts;
- ``screen``: watchlists, through the screening service, at registration and each crossing.

Matches say why in the user's language: ``Match.why`` is a list of
``{"message": msgid, "params": {...}}`` (like a risk flag's), ``Match.reasons()`` renders it.

The index of every person's keys is kept in memory per database engine
(``residents.nameindex``: built at the server's start and kept up to date beside it, so a
search never waits for it); visibility is asked of the database (``access.residents_query``)
for the shortlisted ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents.access import residents_query
from bastion.residents.models import Resident
from bastion.residents.nameindex import index, note
from bastion.screening.names import PersonQuery, hanviet, hanvietmatch
from bastion.screening.names.hanmatch import SYSTEM_LABEL, exact_reading
from bastion.screening.names.hanvietindex import blocking_keys
from bastion.screening.names.keys import NameKeys, name_keys
from bastion.screening.names.normalize import han_chars, is_han

# Thresholds on the person score (name score moved by date of birth), chosen on the
# development pairs (tests/data/residents-name-pairs.csv, split "dev"; bench/residents_names.py
# prints the sweep): a duplicate warning at registration, and the floor of a search.
SIMILAR_THRESHOLD = 0.8
SEARCH_THRESHOLD = 0.7
SHORTLIST = 200  # index candidates asked of the database for visibility, per name
SCORED = 40  # of those, visible ones scored by a search (by name alone)

# msgids of the reasons (``why``), translated when shown
WHY = {
    "same_written": lazy("Same name as written: {query} / {name}"),
    "no_diacritics": lazy("Same name without diacritics: {query} / {name}"),
    "order": lazy("Same name, parts in another order: {query} / {name}"),
    "spelling": lazy("Similar spelling: {query} / {name}"),
    "hanviet": lazy("Same Hán-Việt reading: {han} reads {reading} ({latin})"),
    "hanviet_chars": lazy("Same Hán-Việt reading, other characters: {query} / {name} ({reading})"),
    "chinese": lazy("{han} read in Chinese ({system}) as {reading} ({latin})"),
    "same_chars": lazy("Same Chinese characters: {query} / {name}"),
    "reading": lazy("Similar reading: {query} / {name}"),
    "dob_same": lazy("Same date of birth: {dob}"),
    "dob_year": lazy("Same birth year: {year}"),
    "dob_differs": lazy("Date of birth differs: {query} / {name}"),
    "score": lazy("Likeness {score}"),
}


@dataclass
class Match:
    resident: Resident
    score: float
    why: list[dict[str, Any]] = field(default_factory=list)
    name: str = ""  # which of the person's names matched

    def reasons(self) -> list[str]:
        """``why`` in the current user's language."""
        return [_(WHY[w["message"]] if w["message"] in WHY else w["message"])
                .format(**w.get("params", {})) for w in self.why]


def keys(name: str, *, name_latin: str = "", name_han: str = "") -> list[str]:
    """The blocking keys of a person's names in every script (``Resident.name_keys``)."""
    return blocking_keys(_names(name, name_latin, name_han))


def _names(*names: str) -> list[str]:
    out = [" ".join((n or "").split()) for n in names]
    return list(dict.fromkeys(n for n in out if n))


# --- matching ---------------------------------------------------------------------------------

def _find(session: Session, *, user: User, names: list[str], birth_date: date | None,
          threshold: float, limit: int, scored: int, exclude: int | None = None
          ) -> list[Match]:
    idx = index(session)
    dob = birth_date.isoformat() if birth_date else None
    shortlist: dict[str, None] = {}
    for n in names:
        shortlist.update(dict.fromkeys(idx.shortlist(n, SHORTLIST)))
    if not shortlist:
        return []
    wanted = [int(i) for i in shortlist]
    visible: set[int] = set()
    for chunk in range(0, len(wanted), 500):
        visible.update(session.scalars(residents_query(user).with_only_columns(Resident.id)
                                       .where(Resident.id.in_(wanted[chunk:chunk + 500]))))
    ids = [str(i) for i in wanted if i in visible and i != exclude][:scored]
    best: dict[str, tuple[float, str, Any, str]] = {}
    for n in names:
        for rec, res in idx.score_ids(PersonQuery(n, dob), ids, threshold):
            if rec.id not in best or res.score > best[rec.id][0]:
                best[rec.id] = (res.score, n, res, rec.dob)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], int(kv[0])))[:limit]
    persons = {r.id: r for r in session.scalars(
        residents_query(user).where(Resident.id.in_([int(rid) for rid, _ in ranked])))}
    out = []
    for rid, (score, qname, res, cdob) in ranked:
        why = _why(qname, res.matched_name, dob, cdob) + [
            {"message": "score", "params": {"score": f"{score:.2f}"}}]
        if int(rid) in persons:
            out.append(Match(persons[int(rid)], score, why, res.matched_name))
    return out


def similar(session: Session, *, user: User, name: str, birth_date: date | None = None,
            limit: int = 10, name_latin: str = "", name_han: str = "",
            exclude: int | None = None) -> list[Match]:
    """Persons the user may see who may be this one (the duplicate warning at registration),
    best first. ``name_latin`` and ``name_han`` are the other spellings given, if any;
    ``exclude`` a person not to report (the one being edited)."""
    capabilities.require(user, "residents.read")
    names = _names(name, name_latin, name_han)
    if not names:
        return []
    # every visible shortlisted person: many share a name (NGUYEN VAN AN) and the date of
    # birth tells them apart; a differing birth year is dropped before any name comparison
    return _find(session, user=user, names=names, birth_date=birth_date,
                 threshold=SIMILAR_THRESHOLD, limit=limit, exclude=exclude,
                 scored=SHORTLIST * len(names) if birth_date else SCORED)


def search(session: Session, *, user: User, query: str, limit: int = 20) -> list[Match]:
    """Persons the user may see whose name, in any script, is like ``query``, best first."""
    capabilities.require(user, "residents.read")
    names = _names(query)
    if not names:
        return []
    return _find(session, user=user, names=names, birth_date=None,
                 threshold=SEARCH_THRESHOLD, limit=limit, scored=SCORED)


# --- why, in words ----------------------------------------------------------------------------

def _why(query: str, name: str, qdob: str | None, cdob: str | None) -> list[dict[str, Any]]:
    qk, ck = name_keys(query), name_keys(name)
    out = [_name_reason(query, name, qk, ck)]
    if qdob and cdob:
        if qdob == cdob:
            out.append({"message": "dob_same", "params": {"dob": cdob}})
        elif qdob[:4] == cdob[:4]:
            out.append({"message": "dob_year", "params": {"year": cdob[:4]}})
        else:
            out.append({"message": "dob_differs", "params": {"query": qdob, "name": cdob}})
    return out


def _name_reason(query: str, name: str, qk: NameKeys, ck: NameKeys) -> dict[str, Any]:
    params = {"query": query, "name": name}
    if qk.is_han and ck.is_han:
        if qk.han_simplified == ck.han_simplified:
            return {"message": "same_chars", "params": params}
        if hanvietmatch.same_reading(qk, ck):
            return {"message": "hanviet_chars",
                    "params": {**params, "reading": hanviet.reading(qk.han_simplified)}}
        return {"message": "reading", "params": params}
    if qk.is_han or ck.is_han:
        hk, lk = (qk, ck) if qk.is_han else (ck, qk)
        han, latin = hk.original, lk.original
        if hanvietmatch.han_latin(hk, lk, explain=False)[2]:
            return {"message": "hanviet", "params": {
                "han": han, "latin": latin, "reading": hanviet.reading(hk.han_simplified)}}
        hit = exact_reading(hk, lk)
        if hit:
            return {"message": "chinese", "params": {
                "han": han, "latin": latin, "system": SYSTEM_LABEL[hit[0]], "reading": hit[1]}}
        return {"message": "reading", "params": params}
    if qk.tokens == ck.tokens:
        if query.casefold() == name.casefold() or (qk.marks and ck.marks):
            return {"message": "same_written", "params": params}
        return {"message": "no_diacritics", "params": params}
    if sorted(qk.tokens) == sorted(ck.tokens):
        return {"message": "order", "params": params}
    return {"message": "spelling", "params": params}


# --- watchlists -------------------------------------------------------------------------------

def screen(session: Session, *, resident: Resident, user: User | None = None,
           context: str = "") -> list:
    """Screen a person's names against the watchlists through the screening service
    (``screening.service.screen``), at registration and at each crossing; hits are stored
    for review with the person as their source, so those who may see the person (and the
    list) see them. Runs as ``user`` when they may screen, else as the residents-screening
    account of the person's post or registering agency; [] when neither may screen."""
    from bastion.org.models import Agency, Role
    from bastion.org.service import system_account
    from bastion.screening import service as screening

    checker = user if user is not None and capabilities.can(user, "screening.run") else None
    if checker is None:
        for agency_id in (resident.post_agency_id, resident.owner_org_id):
            agency = session.get(Agency, agency_id) if agency_id else None
            if agency is None:
                continue
            account = system_account(
                session, agency=agency, username=f"residents-screen-{agency.code.lower()}"[:64],
                display_name="Resident screening", role=Role.OFFICER)
            if capabilities.can(account, "screening.run"):
                checker = account
                break
    if checker is None:
        return []
    document = _latest_document(session, resident)
    people = [screening.Person(
        name=n, dob=resident.birth_date.isoformat() if resident.birth_date else None,
        nationality=resident.nationality or None, gender=resident.sex,
        document_number=document, ref=f"resident {resident.id}")
        # a name in characters is screened by its Hán-Việt reading too: a list written in
        # Latin letters shortlists by Latin keys
        for n in _names(resident.name, resident.name_latin, resident.name_han,
                        display_han(resident.name_han or resident.name))]
    if not people:
        return []
    return screening.screen(session, user=checker, people=people,
                            context=context or f"resident {resident.id}",
                            source=(Resident.record_kind, resident.id))


def _latest_document(session: Session, resident: Resident) -> str | None:
    from bastion.residents.models import ResidentDocument

    return session.scalar(select(ResidentDocument.number).where(
        ResidentDocument.resident_id == resident.id)
        .order_by(ResidentDocument.expires.desc().nulls_last(), ResidentDocument.id.desc())
        .limit(1))


def display_han(text: str) -> str:
    """The Hán-Việt reading of a name written in characters ('' for other names): what the
    person page shows beside 阮文安."""
    return hanviet.reading(han_chars(text)) if text and is_han(text) else ""


__all__ = ["Match", "display_han", "index", "keys", "note", "screen", "search", "similar"]
