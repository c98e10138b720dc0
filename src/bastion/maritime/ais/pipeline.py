"""Lines in, message dicts out: parse, verify, reassemble, decode, stamp the time, count the rest.

``Pipeline`` is the one stateful object between a source and its consumers. It is fed line by
line (``feed``) so that the file, TCP and UDP sources and the CLI all share it, and it never
raises on input: every skipped line lands in ``stats.skipped`` under its reason.

When ``scripts/build_speedups.py`` has compiled ``_fastline.pyx`` from the current parser and
decoder, the common single-sentence class A/B or base station line is decoded in C first; every
other line, and every line without that build, takes the Python path below (same output, tested).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

from bastion.maritime.ais.decode import decode_generic, decode_payload
from bastion.maritime.ais.nmea import parse_line
from bastion.maritime.ais.reassembly import DEFAULT_MAX_LINES, DEFAULT_TIMEOUT, Reassembler

Clock = Callable[[], float]
# Sweep for stale fragments every this many lines: pending messages are few (< 100 on the
# AISHub sample), so a sweep is cheap, and a 256-line lag is far below any timeout.
_SWEEP_EVERY = 256
# A line that made the decoder raise: a bug to report, never a reason for the stream to stop.
INTERNAL_ERROR = "internal_error"
FASTLINE_MODULE = "bastion.maritime.ais._fastline"
FASTLINE_SOURCE = Path(__file__).with_name("_fastline.pyx")
# What the compiled line decoder mirrors: a change to any of these retires the old build.
_MIRRORED = ("_fastline.pyx", "nmea.py", "decode.py", "plans.py")


def compiled_key() -> str:
    digest = hashlib.sha256()
    for name in _MIRRORED:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


def compiled_name() -> str:
    return f"_fastline.{compiled_key()}{EXTENSION_SUFFIXES[0]}"


def load_fastline(folder: Path | None = None) -> Callable[[bytes], dict | None] | None:
    """The compiled ``fast_line`` built from the current sources, or None (no build, a stale
    one, or sources not shipped): the Python path is then the only one."""
    try:
        path = (folder or FASTLINE_SOURCE.parent) / compiled_name()
        if not path.is_file():
            return None
        loader = ExtensionFileLoader(FASTLINE_MODULE, str(path))
        module = module_from_spec(spec_from_loader(FASTLINE_MODULE, loader))
        loader.exec_module(module)
        return module.fast_line
    except (OSError, ImportError):
        logging.getLogger("bastion.ais").warning("compiled AIS line decoder not loaded",
                                                 exc_info=True)
        return None


_fast_line = load_fastline()


@dataclass
class Stats:
    """Counters a consumer can read at any time (the CLI prints them, a worker exports them)."""

    lines: int = 0
    messages: int = 0
    skipped: Counter = field(default_factory=Counter)
    # Network sources only.
    connects: int = 0
    reconnects: int = 0
    watchdog_trips: int = 0
    bytes: int = 0

    def as_dict(self) -> dict:
        return {"lines": self.lines, "messages": self.messages,
                "skipped": dict(self.skipped.most_common()), "connects": self.connects,
                "reconnects": self.reconnects, "watchdog_trips": self.watchdog_trips,
                "bytes": self.bytes}


_iso_cache: dict[float, str] = {}


def iso_time(epoch: float) -> str:
    """Epoch seconds to ``2014-12-10T00:41:53Z`` (milliseconds only when the epoch has them)."""
    text = _iso_cache.get(epoch)
    if text is None:
        moment = datetime.fromtimestamp(epoch, UTC)
        if epoch == int(epoch):
            text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            text = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
        if len(_iso_cache) > 4096:  # feeds move forward: old seconds are not seen again
            _iso_cache.clear()
        _iso_cache[epoch] = text
    return text


class Pipeline:
    """Stateful line decoder. ``feed`` returns a message dict or None (skipped or incomplete).

    ``timeout`` (seconds of data time) and ``max_lines`` bound how long a fragment waits for the
    rest of its message. ``fast_path=False`` builds pyais objects for every type: the reference for tests and bench.
    """

    def __init__(self, *, stats: Stats | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_lines: int = DEFAULT_MAX_LINES, fast_path: bool = True,
                 compiled: bool = True) -> None:
        self.stats = stats or Stats()
        self.reassembler = Reassembler(self.stats.skipped, timeout=timeout, max_lines=max_lines)
        if fast_path:
            self._decode = decode_payload
        else:
            self._decode = partial(decode_generic, planned=False)
        # ``compiled=False`` (or no build): the Python path for every line.
        self._fast_line = _fast_line if compiled and fast_path else None
        self._now: float | None = None

    def feed(self, line: bytes | str, arrival: float | None = None) -> dict | None:
        """One line (bytes or str, with or without its newline); ``arrival`` in epoch seconds."""
        stats = self.stats
        stats.lines += 1
        lineno = stats.lines
        if lineno % _SWEEP_EVERY == 0 and self.reassembler.pending:
            self.reassembler.expire(self._now, lineno)
        if type(line) is not bytes:
            try:
                line = line.encode("ascii")
            except (UnicodeEncodeError, AttributeError):
                stats.skipped["not_nmea"] += 1
                return None
        fast_line = self._fast_line
        if fast_line is not None:
            message = fast_line(line)
            if message is not None:  # a whole type 1-4 or 18 report with no time of its own
                if arrival is not None:
                    self._now = arrival
                    message["time"] = iso_time(arrival)
                stats.messages += 1
                return message
        try:
            frag = parse_line(line)
            if type(frag) is str:
                stats.skipped[frag] += 1
                return None
            when = frag.time
            if when is None:
                when = arrival
            if when is not None:
                self._now = when
            if frag.count == 1 and frag.group is None:
                payload, fill = frag.payload, frag.fill
            else:
                whole = self.reassembler.add(frag, when, lineno)
                if whole is None:
                    return None
                payload, fill, first_time = whole
                if first_time is not None:
                    when = first_time
            message = self._decode(payload, fill)
            if type(message) is str:
                stats.skipped[message] += 1
                return None
            if when is not None:
                message["time"] = iso_time(when)
        except Exception:  # noqa: BLE001 - the last guard: no line may stop a stream
            stats.skipped[INTERNAL_ERROR] += 1
            return None
        stats.messages += 1
        return message

    def close(self) -> None:
        """End of input: count fragments of messages that never completed."""
        self.reassembler.flush()

    def run(self, lines: Iterable[bytes | str], clock: Clock | None = None) -> Iterator[dict]:
        """Decode an iterable of lines; ``clock()`` gives each line's arrival time if set."""
        feed = self.feed
        if clock is None:
            for line in lines:
                message = feed(line)
                if message is not None:
                    yield message
        else:
            for line in lines:
                message = feed(line, clock())
                if message is not None:
                    yield message
        self.close()


def decode_lines(lines: Iterable[bytes | str], *, clock: Clock | None = None,
                 stats: Stats | None = None, **options) -> Iterator[dict]:
    """Shortcut: ``for msg in decode_lines(open(path, 'rb')): ...``."""
    return Pipeline(stats=stats, **options).run(lines, clock)
