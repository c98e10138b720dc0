"""Multi-part AIS messages: collect fragments until a message is whole, drop what never will be.

A type 5 (static and voyage data) is 424 bits and travels as two sentences; receivers interleave
other traffic between them and satellite feeds deliver them out of order. Fragments are keyed by
their tag-block group (``g:1-2-1604``) when present, else by (station, talker, channel, sequence
id, fragment count) as IEC 61162-1 defines the sequential message id per channel. A fragment
that waits longer than ``timeout`` seconds of *data* time (or ``max_lines`` lines when the feed
carries no time) is expired and counted, so memory stays bounded on a lossy feed.
"""

from __future__ import annotations

from collections import Counter

from bastion.maritime.ais.nmea import Fragment

INCOMPLETE = "incomplete_multipart"
EXPIRED = "expired_fragment"

# A message's sentences are sent back to back (ITU-R M.1371: at most 5 slots, < 1 s); satellite
# feeds may deliver a group's lines tens of seconds apart, so 60 s is generous for both.
DEFAULT_TIMEOUT = 60.0
# Without any time on the feed: AISHub's 3-minute sample has 85,187 lines, ~470 lines/s,
# so 30,000 lines is about a minute of a busy aggregated feed.
DEFAULT_MAX_LINES = 30_000


class Reassembler:
    """Holds incomplete messages; ``add`` returns ``(payload, fill, time)`` once one is whole."""

    def __init__(self, skipped: Counter, *, timeout: float = DEFAULT_TIMEOUT,
                 max_lines: int = DEFAULT_MAX_LINES) -> None:
        self.skipped = skipped
        self.timeout = timeout
        self.max_lines = max_lines
        # key -> [parts (list of (payload, fill) | None), received, time, line number]
        self.pending: dict[tuple, list] = {}

    def add(self, frag: Fragment, now: float | None, lineno: int
            ) -> tuple[bytes, int, float | None] | None:
        if frag.group is not None:
            key: tuple = (frag.station, frag.group[:frag.group.rfind(b"/")])
        else:
            key = (frag.station, frag.talker, frag.channel, frag.seq_id, frag.count)
        entry = self.pending.get(key)
        if entry is not None and (
                entry[0][frag.number - 1] is not None or len(entry[0]) != frag.count
                or self._stale(entry, now, lineno)):
            # A repeated fragment number means the sender reused the sequence id: the message
            # that was waiting will never be completed.
            del self.pending[key]
            self.skipped[EXPIRED if self._stale(entry, now, lineno) else INCOMPLETE] += entry[1]
            entry = None
        if entry is None:
            entry = [[None] * frag.count, 0, frag.time, lineno]
            self.pending[key] = entry
        entry[0][frag.number - 1] = (frag.payload, frag.fill)
        entry[1] += 1
        if frag.number == 1 and frag.time is not None:
            entry[2] = frag.time  # the message's time is its first sentence's
        elif entry[2] is None:
            entry[2] = frag.time
        if entry[1] < frag.count:
            return None
        del self.pending[key]
        parts = entry[0]
        return b"".join(p[0] for p in parts), parts[-1][1], entry[2]

    def _stale(self, entry: list, now: float | None, lineno: int) -> bool:
        if lineno - entry[3] > self.max_lines:
            return True
        return now is not None and entry[2] is not None and now - entry[2] > self.timeout

    def expire(self, now: float | None, lineno: int) -> int:
        """Drop every stale message; return how many fragments were dropped."""
        stale = [k for k, e in self.pending.items() if self._stale(e, now, lineno)]
        dropped = 0
        for key in stale:
            dropped += self.pending.pop(key)[1]
        if dropped:
            self.skipped[EXPIRED] += dropped
        return dropped

    def flush(self) -> int:
        """End of stream: whatever is still waiting is incomplete."""
        dropped = sum(e[1] for e in self.pending.values())
        self.pending.clear()
        if dropped:
            self.skipped[INCOMPLETE] += dropped
        return dropped
