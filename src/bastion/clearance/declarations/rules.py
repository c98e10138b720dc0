"""Rules across the cells of one row and across the rows of one list, run on parsed values.

Kept apart from the cell checks because they need several values at once (a document's expiry
against the stay, an MRZ against the columns it repeats) and because the cross-list check
(``crosscheck.py``) reuses the expiry rule with the FAL 1 departure time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.reference import mrz

from . import codes
from .problems import Collector
from .reader import Record


def expired_message(expiry: date, end: date) -> str:
    return (_("The document expires on %(expiry)s, before the end of the stay (%(end)s)")
            % {"expiry": expiry.isoformat(), "end": end.isoformat()})


def person(record: Record, values: dict[str, Any], out: Collector, *, today: date,
           stay_end: date) -> None:
    birth, expiry = values.get("birth_date"), values.get("expiry_date")
    if birth and birth > today:
        out.add(record.row, record.heading("birth_date"), "DATES_OUT_OF_ORDER",
                _("The date of birth %(date)s is in the future") % {"date": birth.isoformat()},
                record.sheet)
    if birth and expiry and expiry <= birth:
        out.add(record.row, record.heading("expiry_date"), "DATES_OUT_OF_ORDER",
                _("The expiry date is not after the date of birth"), record.sheet)
    if expiry and expiry < stay_end:
        out.add(record.row, record.heading("expiry_date"), "EXPIRED_DOCUMENT",
                expired_message(expiry, stay_end), record.sheet)
    if values.get("mrz"):
        _mrz_rules(record, values, out)


def _yymmdd(value: date) -> str:
    return value.strftime("%y%m%d")


# The MRZ fields a check digit protects (ICAO 9303-3, 4.9), named in the user's language.
MRZ_FIELDS = {"document_number": lazy("document number"), "birth_date": lazy("date of birth"),
              "expiry_date": lazy("date of expiry"), "optional_data": lazy("optional data"),
              "composite": lazy("composite check")}


def _mrz_rules(record: Record, values: dict[str, Any], out: Collector) -> None:
    parsed = mrz.parse(values["mrz"])
    if parsed is None:
        return
    column = record.heading("mrz")
    for name in parsed.failed:
        out.add(record.row, column, "BAD_MRZ_CHECK_DIGIT",
                _("The MRZ check digit of the %(field)s is wrong: the MRZ was mistyped")
                % {"field": _(MRZ_FIELDS.get(name, name))}, record.sheet)
    number = "".join((values.get("document_number") or "").split()).upper()
    pairs = [("document_number", parsed.document_number, number),
             ("birth_date", parsed.birth_date, values.get("birth_date") and _yymmdd(values["birth_date"])),
             ("expiry_date", parsed.expiry_date, values.get("expiry_date") and _yymmdd(values["expiry_date"]))]
    for key, in_mrz, in_columns in pairs:
        if in_columns and in_mrz != in_columns:
            out.add(record.row, record.heading(key), "MRZ_MISMATCH",
                    _("%(column)s says %(columns)s but the MRZ says %(mrz)s")
                    % {"column": record.heading(key), "columns": in_columns, "mrz": in_mrz},
                    record.sheet)


def duplicate_documents(records: list[tuple[Record, dict[str, Any]]], out: Collector) -> None:
    """The same document (issuing state and number) twice in one list is one person typed twice,
    or two people sharing a number: either way someone must look."""
    first: dict[tuple[str, str], int] = {}
    for record, values in records:
        number, state = values.get("document_number"), values.get("issuing_state")
        if not number or not state:
            continue
        key = (state, "".join(number.split()).upper())
        if key in first:
            out.add(record.row, record.heading("document_number"), "DUPLICATE_DOCUMENT",
                    _("The document %(number)s of %(state)s is already listed in row %(row)s")
                    % {"number": number, "state": state, "row": first[key]}, record.sheet)
        else:
            first[key] = record.row


def general(record: Record, values: dict[str, Any], out: Collector) -> None:
    imo = values.get("imo")
    if imo and not codes.imo_check_ok(imo):
        out.warn(record.row, record.heading("imo"), "BAD_IMO_CHECK_DIGIT",
                 _("The IMO number %(imo)s fails its check digit: check it against the ship's "
                   "certificates") % {"imo": imo}, record.sheet)
    eta, etd = values.get("eta"), values.get("etd")
    if eta and etd and (eta.tzinfo is None) != (etd.tzinfo is None):
        # one local, one an instant: which is first depends on the port's zone, unknown here
        out.add(record.row, record.heading("etd"), "MIXED_TIME_ZONES",
                _("Write both times the same way: both local, or both with a zone "
                  "(Z or +08:00)"), record.sheet)
    elif eta and etd and etd < eta:
        out.add(record.row, record.heading("etd"), "DATES_OUT_OF_ORDER",
                _("The departure time is before the arrival time"), record.sheet)
    mmsi, flag = values.get("mmsi"), values.get("flag")
    if mmsi and flag and codes.alpha2(flag) and codes.mmsi_flag(mmsi) != codes.alpha2(flag):
        out.warn(record.row, record.heading("mmsi"), "MMSI_FLAG_MISMATCH",
                 _("The MMSI's MID belongs to %(mid)s, not to the flag State %(flag)s")
                 % {"mid": codes.mmsi_flag(mmsi), "flag": flag}, record.sheet)


# IMDG classes whose entries never carry a packing group (IMDG Code 2.0.1.3).
_NO_PACKING_GROUP = ("1", "2", "7", "5.2", "6.2")


def dangerous_goods(record: Record, values: dict[str, Any], out: Collector) -> None:
    dg_class, group = values.get("dg_class"), values.get("packing_group")
    if not dg_class:
        return
    without = dg_class.startswith(("1.", "2.")) or dg_class in _NO_PACKING_GROUP
    if without and group:
        out.warn(record.row, record.heading("packing_group"), "PACKING_GROUP_NOT_APPLICABLE",
                 _("Class %(cls)s goods have no packing group") % {"cls": dg_class}, record.sheet)
    if not without and "packing_group" in record.cells and not record.text("packing_group"):
        out.warn(record.row, record.heading("packing_group"), "MISSING_PACKING_GROUP",
                 _("Class %(cls)s goods usually have a packing group (I, II or III)")
                 % {"cls": dg_class}, record.sheet)


# A "yes" in the Maritime Declaration of Health asks for its particulars (IHR Annex 8).
HEALTH_PARTICULARS = (
    ("deaths", "deaths_count", lazy("Question 1 says someone died: give the number of deaths")),
    ("ill_above_normal", "ill_count",
     lazy("Question 3 says more were ill than expected: give the number of ill persons")),
    ("sanitary_measures", "sanitary_details",
     lazy("Question 7 says sanitary measures were applied: give their type, place and date")),
    ("stowaways", "stowaways_joined",
     lazy("Question 8 says stowaways were found: say where they joined the ship")),
)


def health(record: Record, values: dict[str, Any], out: Collector) -> None:
    for answer, particulars, message in HEALTH_PARTICULARS:
        if values.get(answer) and not values.get(particulars):
            out.add(record.row, record.heading(particulars),
                    f"MISSING_{particulars.upper()}", _(message), record.sheet)


def ill_person(record: Record, values: dict[str, Any], out: Collector, *, today: date) -> None:
    joined, onset = values.get("date_joined"), values.get("onset_date")
    for key in ("date_joined", "onset_date"):
        if values.get(key) and values[key] > today:
            out.add(record.row, record.heading(key), "DATES_OUT_OF_ORDER",
                    _("The date %(date)s is in the future") % {"date": values[key].isoformat()},
                    record.sheet)
    if joined and onset and onset < joined:
        out.warn(record.row, record.heading("onset_date"), "ONSET_BEFORE_JOINING",
                 _("The symptoms began before the person joined the ship"), record.sheet)
