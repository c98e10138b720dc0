"""Audit summaries and reasons in the reader's language.

The log keeps what each service wrote, in English, as written: it is the record, and the CSV
export and the API hand it on unchanged. The page translates at display time: each known shape
of summary is a pattern here with a message and its values (action names and record kinds
through the shared vocabularies); anything else is shown as stored.
"""

from __future__ import annotations

import re

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import term

# (pattern, message); a pattern's named groups are the message's values, some of them words
# shown in the reader's language too (_value).
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p + r"\Z"), m) for p, m in [
    (r"login", lazy("logged in")),
    (r"logout", lazy("logged out")),
    (r"token revoked", lazy("API token revoked")),
    (r"account locked", lazy("account locked")),
    (r"bad username or password", lazy("wrong username or password")),
    (r"wrong current password", lazy("wrong current password")),
    (r"password changed", lazy("password changed")),
    (r"locked for (?P<n>\d+) min", lazy("locked for {n} minutes")),
    (r"language", lazy("language changed")),
    (r"audit export", lazy("audit log exported")),
    (r"port-call statistics export", lazy("port-call statistics exported")),
    (r"patrol measures export", lazy("patrol measures exported")),
    (r"patrol (?P<id>\d+) started", lazy("patrol {id} started")),
    (r"SOS (?P<id>\d+) acknowledged", lazy("SOS {id} acknowledged")),
    # 24-hour duty: rosters, swaps and their set-up (duty/rosters)
    (r"duty roster (?P<id>\d+) (?P<duty_act>[a-z ]+)", lazy("duty roster {id}: {duty_act}")),
    (r"duty swap (?P<id>\d+) (?P<duty_act>[a-z ]+)", lazy("duty swap {id}: {duty_act}")),
    (r"duty role (?P<code>\S+)", lazy("duty role {code}")),
    (r"duty shift (?P<code>\S+)", lazy("duty shift {code}")),
    (r"duty person (?P<id>\d+)", lazy("person on duty {id}")),
    (r"duty demand (?P<id>\d+)", lazy("duty demand {id}")),
    (r"duty request (?P<id>\d+)", lazy("duty request {id}")),
    (r"duty calendar (?P<n>\d+) days", lazy("holiday calendar: {n} days changed")),
    (r"duty calendar (?P<day>\d{4}-\d{2}-\d{2})", lazy("holiday calendar: {day} removed")),
    (r"watchlist (?P<id>\d+)", lazy("watchlist {id}")),
    (r"import into watchlist (?P<id>\d+)", lazy("import into watchlist {id}")),
    (r"screened (?P<n>\d+) people against (?P<m>\d+) lists",
     lazy("screened {n} people against {m} lists")),
    (r"hit (?P<id>\d+)", lazy("screening hit {id}")),
    (r"hit (?P<id>\d+) (?P<status>\w+)", lazy("screening hit {id}: {status}")),
    (r"agency (?P<code>\S+)", lazy("agency {code}")),
    (r"agency (?P<code>\S+): areas", lazy("agency {code}: areas of responsibility")),
    (r"user (?P<name>\S+) \((?P<role>\w+)\)", lazy("user {name} ({role})")),
    (r"user (?P<name>\S+)", lazy("user {name}")),
    (r"alert (?P<id>\d+): (?P<what>.+)", lazy("vessel alert {id}: {what}")),
    (r"attachment (?P<id>\d+) on (?P<kind>\w+) (?P<rid>\d+)",
     lazy("attachment {id} on {kind} {rid}")),
    (r"download of attachment (?P<id>\d+) on (?P<kind>\w+) (?P<rid>\d+)",
     lazy("download of attachment {id} on {kind} {rid}")),
    (r"port call (?P<id>\d+)", lazy("port call {id}")),
    (r"port call (?P<id>\d+): (?P<action>\w+)", lazy("port call {id}: {action}")),
    (r"(?P<n>\d+) port calls listed", lazy("{n} port calls listed")),
    (r"(?P<form>[a-z_]+) v(?P<version>\d+) call (?P<id>\d+)",
     lazy("{form} version {version}, port call {id}")),
    (r"(?P<form>[a-z_]+) v(?P<version>\d+) call (?P<id>\d+): rows read",
     lazy("{form} version {version}, port call {id}: declared rows read")),
    (r"pre-check rules v(?P<n>\d+)", lazy("pre-check rules version {n}")),
    (r"terminal (?P<code>\S+)", lazy("terminal {code}")),
    (r"notice (?P<id>\d+)", lazy("notice {id}")),
    (r"hotline call (?P<id>\d+) taken", lazy("hotline call {id} taken")),
    (r"hotline call (?P<id>\d+): (?P<hotline_action>\w+)",
     lazy("hotline call {id}: {hotline_action}")),
    (r"duty-log entry (?P<id>\d+) from hotline call (?P<call>\d+)",
     lazy("duty-log entry {id} from hotline call {call}")),
    (r"duty statistics export", lazy("duty statistics exported")),
    # 24-hour duty: the duty log and handovers (duty/log)
    (r"duty log entry (?P<id>\d+)", lazy("duty-log entry {id}")),
    (r"duty log entry (?P<id>\d+) corrects (?P<old>\d+)",
     lazy("duty-log entry {id}, correcting entry {old}")),
    (r"duty log entry (?P<id>\d+): (?P<stage>\w+)", lazy("duty-log entry {id}: {stage}")),
    (r"duty handover (?P<id>\d+)", lazy("duty handover {id}")),
    (r"duty handover (?P<id>\d+) confirmed", lazy("duty handover {id} confirmed")),
    # the foreign-resident registry (residents/service.py, persons.py, export.py, points.py)
    (r"resident (?P<id>\d+)", lazy("foreign resident {id}")),
    (r"resident (?P<id>\d+): (?P<part>[a-z_]+) (?P<verb>added|changed|removed)",
     lazy("foreign resident {id}: {part} {verb}")),
    (r"resident (?P<id>\d+) export", lazy("foreign resident {id}: record exported")),
    (r"crossing point (?P<code>\S+)", lazy("crossing point {code}")),
    (r"crossing points reference: (?P<n>\d+) added",
     lazy("crossing points loaded from the shipped reference: {n} added")),
    (r"household (?P<id>\d+)", lazy("household {id}")),
    # home visits, the retention purge and statistics (residents/visits, retention.py, stats.py)
    (r"home visit (?P<id>\d+) for resident (?P<rid>\d+)",
     lazy("home visit {id} sent for foreign resident {rid}")),
    (r"home visit (?P<id>\d+): (?P<result>[a-z_]+)", lazy("home visit {id} recorded: {result}")),
    (r"home visit (?P<id>\d+) cancelled", lazy("home visit {id} cancelled")),
    (r"residents purge: (?P<c>\d+) crossings, (?P<r>\d+) reads, (?P<v>\d+) home visits",
     lazy("foreign residents' retention purge: {c} crossings, {r} reads of records, "
          "{v} home visits deleted")),
    (r"resident statistics export", lazy("foreign resident statistics exported")),
    # evaluations and legal outreach (evaluations/, outreach/)
    (r"(?P<n>\d+) assessments listed", lazy("{n} assessments listed")),
    (r"evaluations history of person (?P<id>\d+)",
     lazy("assessment history of person {id} read")),
    (r"evaluation (?P<aid>\d+) of person (?P<id>\d+) read",
     lazy("assessment {aid} of person {id} read")),
    (r"assessment of person (?P<id>\d+) for (?P<month>\d{4}-\d{2})",
     lazy("assessment of person {id} for {month}")),
    (r"indicators (?P<population>[a-z_]+) v(?P<version>\d+)",
     lazy("assessment indicators, version {version}")),
    (r"rating of person (?P<id>\d+) for (?P<year>\d{4}) back to the rule",
     lazy("annual rating of person {id} for {year} back to the rule's")),
    (r"rating of person (?P<id>\d+) for (?P<year>\d{4}): (?P<rating>[a-z_]+)",
     lazy("annual rating of person {id} for {year} set")),
    (r"evaluations of (?P<n>\d+) persons for (?P<month>\d{4}-\d{2})",
     lazy("assessments of {n} persons for {month} exported")),
    (r"outreach visit to village (?P<id>\d+) on (?P<day>\d{4}-\d{2}-\d{2})",
     lazy("legal-outreach visit to village {id} on {day}")),
    (r"outreach visits (?P<year>\d{4}): (?P<n>\d+)",
     lazy("legal-outreach visits of {year} exported: {n}")),
    # joint operations (operations/service.py, api.py)
    (r"operation (?P<id>\d+) planned", lazy("joint operation {id} planned")),
    (r"operation (?P<id>\d+) exported", lazy("joint operation {id} exported")),
    (r"operation (?P<id>\d+): agency (?P<agency>\d+) taking part",
     lazy("joint operation {id}: agency {agency} taking part")),
    (r"operation (?P<id>\d+): post (?P<post>\d+) added",
     lazy("joint operation {id}: post {post} added")),
    (r"task (?P<id>\d+) added", lazy("joint operation task {id} added")),
    (r"task (?P<id>\d+) (?P<task_status>todo|doing|done)",
     lazy("joint operation task {id}: {task_status}")),
]]

# Reasons services give for their own reads (a person's typed reason is shown as typed).
_REASONS = {
    "viewed in web UI": lazy("viewed in the web interface"),
    "duty officer's workbench": lazy("the duty officer's workbench"),
}
_REASON_PATTERNS = [
    # the pre-check screening a call's lists (clearance): "port call 118 v1", the version of
    # the call (each amendment adds one), not of a list
    (re.compile(r"port call (?P<id>\d+) v(?P<version>\d+)\Z"),
     lazy("port call {id}, version {version} of the call")),
    # the outbound screening of a call's departure lists (clearance/departure)
    (re.compile(r"port call (?P<id>\d+) departure\Z"),
     lazy("port call {id}, departure lists")),
    # a foreign resident screened at registration and at each crossing (residents/service.py)
    (re.compile(r"resident (?P<id>\d+) registered\Z"),
     lazy("foreign resident {id}, at registration")),
    (re.compile(r"resident (?P<id>\d+) crossing (?P<crossing>\d+)\Z"),
     lazy("foreign resident {id}, at crossing {crossing}")),
    (re.compile(r"resident (?P<id>\d+)\Z"), lazy("foreign resident {id}")),
]

# Values shown through the shared vocabularies (registered by their domains) or the words here.
_VOCABULARY = {"action": "call_action", "kind": "record_kind", "form": "fal_form",
               "hotline_action": "hotline_action", "stage": "duty_stage",
               "task_status": "operation_task_status"}
_WORDS = {
    "status": {"pending": lazy("To review"), "confirmed": lazy("Same person"),
               "dismissed": lazy("Not the same")},
    "role": {"viewer": lazy("Viewer"), "officer": lazy("Officer"),
             "supervisor": lazy("Supervisor"), "admin": lazy("Administrator")},
    "what": {"acknowledged": lazy("acknowledged"), "closed": lazy("closed")},
    "duty_act": {"created": lazy("created"), "queued for solving": lazy("queued for solving"),
                 "solved": lazy("solved"), "cannot be staffed": lazy("cannot be staffed"),
                 "solve failed": lazy("solve failed"), "published": lazy("published"),
                 "pinned": lazy("cell pinned"), "unpinned": lazy("cell unpinned"),
                 "cell changed": lazy("cell changed"), "cell added": lazy("cell added"),
                 "cell cleared": lazy("cell cleared"), "requested": lazy("requested"),
                 "approved": lazy("approved"), "refused": lazy("refused")},
    "part": {"document": lazy("document"), "family_link": lazy("relative"),
             "marriage": lazy("marriage"), "residence": lazy("residence period"),
             "lodging": lazy("lodging registration"), "permit": lazy("permit"),
             "employment": lazy("employment"), "crossing": lazy("crossing"),
             "photo": lazy("photo")},
    "verb": {"added": lazy("added"), "changed": lazy("changed"), "removed": lazy("removed")},
    "result": {"verified": lazy("found as recorded"), "changed": lazy("records need changing"),
               "absent": lazy("not at home"), "left": lazy("has left"),
               "not_found": lazy("unknown at the address")},
}
_ASSIGNED = re.compile(r"assigned to (?P<name>\S+)\Z")


def _value(name: str, value: str) -> str:
    if name in _WORDS:
        if name == "what" and (match := _ASSIGNED.match(value)):
            return _("assigned to {name}").format(name=match["name"])
        word = _WORDS[name].get(value)
        return _(word) if word else value
    namespace = _VOCABULARY.get(name)
    return term(value, namespace) if namespace else value


def summary(text: str | None) -> str:
    """A stored summary in the reader's language (unknown shapes as stored)."""
    if not text:
        return ""
    for pattern, message in _PATTERNS:
        match = pattern.match(text)
        if match:
            values = {k: _value(k, v) for k, v in match.groupdict().items()}
            return _(message).format(**values)
    return text


def reason(text: str | None) -> str:
    if not text:
        return ""
    message = _REASONS.get(text)
    if message:
        return _(message)
    for pattern, message in _REASON_PATTERNS:
        if match := pattern.match(text):
            return _(message).format(**match.groupdict())
    return text
