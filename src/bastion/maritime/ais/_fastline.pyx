# cython: language_level=3, boundscheck=True, wraparound=False
"""The common line, compiled: ``!xxVDM,1,1,,A,<28 characters>,0*hh`` to a class A or B dict.

Nine lines in ten of a live feed are single-sentence position reports of types 1-3 and 18
(AISHub sample: 72,757 of 85,187), and base station reports (type 4) are the next most common
(4,043 more). For those alone this does what ``nmea.parse_line`` and ``decode.decode_payload``
do (type 4: ``plans.run_plan`` with pyais's layout, then ``decode.normalise``), in C, and
returns the same dict (same keys in the same order, same values); for any other line, or any
doubt, it returns None and the pipeline takes its Python path.
``tests/maritime/ais/test_fastline.py`` holds both to the same output on every sample line and on
mutated lines; ``bench/ais_throughput.py`` and ``bench/ais_process.py`` measure what it buys.
Built by ``scripts/build_speedups.py``; without a build, nothing changes but the speed.
"""

from bastion.maritime.ais.decode import _turn

# ROT byte -> pyais's value, from the Python function itself (its rounding is Python's).
cdef tuple _TURN = tuple(_turn(raw - 256 if raw > 127 else raw) for raw in range(256))
cdef object _TRUE = True
cdef object _FALSE = False


cdef inline int _hex(unsigned char c) noexcept:
    if 48 <= c <= 57:
        return c - 48
    if 65 <= c <= 70:
        return c - 55
    if 97 <= c <= 102:
        return c - 87
    return -1


cdef inline bint _blank(unsigned char c) noexcept:
    # bytes.strip()'s ASCII whitespace
    return c == 32 or c == 9 or c == 10 or c == 13 or c == 11 or c == 12


cdef inline unsigned long long _field(const unsigned char* six, int total, int shift,
                                      int length) noexcept:
    """``(v >> shift) & (2**length - 1)`` of the payload read as one ``total``-bit integer."""
    cdef int start = total - shift - length
    cdef unsigned long long v = 0
    cdef int i
    for i in range(start, start + length):
        v = (v << 1) | ((six[i // 6] >> (5 - i % 6)) & 1)
    return v


cdef inline long long _floordiv(long long a, long long b) noexcept:
    cdef long long q = a // b  # Cython keeps Python's floor semantics for //
    return q


cdef inline object _position(unsigned long long raw, unsigned long long na, int bits,
                             long long scale):
    """pyais's exact round(n / 600000, 6) as ((10 n + 3) // 6) / 1e6, or None."""
    cdef long long n
    if raw == na:
        return None
    n = <long long>raw
    if raw >> (bits - 1):
        n -= (<long long>1) << bits
    return _floordiv(scale * n + 3, 6) / 1e6


cdef inline object _b(unsigned long long bit):
    return _TRUE if bit else _FALSE


def fast_line(bytes line):
    """The decoded message of a standard class A/B line, else None (the caller parses it)."""
    cdef const unsigned char* s = line
    cdef Py_ssize_t n = len(line)
    cdef Py_ssize_t i, star = -1, commas = 0, at = 0
    cdef Py_ssize_t starts[7]
    cdef Py_ssize_t ends[7]
    cdef unsigned char check = 0, c
    cdef int high, low
    cdef unsigned char six[28]
    if n < 20 or (s[0] != 33 and s[0] != 36):  # '!' or '$'
        return None
    starts[0] = 1
    for i in range(1, n):
        c = s[i]
        if c == 42:  # '*'
            star = i
            break
        check ^= c
        if c == 44:  # ','
            if commas == 6:
                return None  # more than seven fields
            ends[commas] = i
            commas += 1
            starts[commas] = i + 1
    if star < 0 or commas != 6 or star + 3 > n:
        return None
    ends[6] = star
    high, low = _hex(s[star + 1]), _hex(s[star + 2])
    if high < 0 or low < 0 or (high * 16 + low) != check:
        return None
    if s[star + 1] > 64 and s[star + 2] > 64 and (s[star + 1] > 96) != (s[star + 2] > 96):
        return None  # "aB": mixed-case hex, which the parser refuses
    for i in range(star + 3, n):
        if not _blank(s[i]):
            return None  # a receiver suffix (times) or a tail: the parser's business
    # !AIVDM,1,1,,A,payload,0
    if ends[0] - starts[0] != 5 or s[starts[0] + 2] != 86 or s[starts[0] + 3] != 68 or \
            (s[starts[0] + 4] != 77 and s[starts[0] + 4] != 79):  # VDM / VDO
        return None
    if ends[1] - starts[1] != 1 or s[starts[1]] != 49 or ends[2] - starts[2] != 1 or \
            s[starts[2]] != 49 or ends[6] - starts[6] != 1 or s[starts[6]] != 48:
        return None  # not "1,1" or fill bits other than 0
    if ends[5] - starts[5] != 28:
        return None
    at = starts[5]
    for i in range(28):
        c = s[at + i]
        if 48 <= c <= 87:
            six[i] = c - 48
        elif 96 <= c <= 119:
            six[i] = c - 56
        else:
            return None
    c = s[at]
    if 49 <= c <= 51:  # '1', '2', '3'
        return _class_a(six, c - 48)
    if c == 66:  # 'B' = 18
        return _class_b(six)
    if c == 52:  # '4'
        return _base_station(six)
    return None


cdef dict _class_a(const unsigned char* six, int kind):
    # decode._class_a, field for field (gpsd AIVDM, table 6)
    cdef unsigned long long speed = _field(six, 168, 108, 10)
    cdef unsigned long long course = _field(six, 168, 40, 12)
    cdef unsigned long long heading = _field(six, 168, 31, 9)
    return {
        "type": kind, "mmsi": _field(six, 168, 130, 30), "time": None,
        "repeat": _field(six, 168, 160, 2), "status": _field(six, 168, 126, 4),
        "turn": _TURN[_field(six, 168, 118, 8)],
        "speed": None if speed == 1023 else speed / 10.0,
        "accuracy": _b(_field(six, 168, 107, 1)),
        "lon": _position(_field(six, 168, 79, 28), 108600000, 28, 10),
        "lat": _position(_field(six, 168, 52, 27), 54600000, 27, 10),
        "course": None if course == 3600 else course / 10.0,
        "heading": None if heading == 511 else heading,
        "second": _field(six, 168, 25, 6), "maneuver": _field(six, 168, 23, 2),
        "raim": _b(_field(six, 168, 19, 1)), "radio": _field(six, 168, 0, 19),
    }


cdef dict _class_b(const unsigned char* six):
    # decode._class_b, field for field (gpsd AIVDM, "Standard Class B CS Position Report")
    cdef unsigned long long speed = _field(six, 168, 112, 10)
    cdef unsigned long long course = _field(six, 168, 44, 12)
    cdef unsigned long long heading = _field(six, 168, 35, 9)
    return {
        "type": 18, "mmsi": _field(six, 168, 130, 30), "time": None,
        "repeat": _field(six, 168, 160, 2), "reserved_1": _field(six, 168, 122, 8),
        "speed": None if speed == 1023 else speed / 10.0,
        "accuracy": _b(_field(six, 168, 111, 1)),
        "lon": _position(_field(six, 168, 83, 28), 108600000, 28, 10),
        "lat": _position(_field(six, 168, 56, 27), 54600000, 27, 10),
        "course": None if course == 3600 else course / 10.0,
        "heading": None if heading == 511 else heading,
        "second": _field(six, 168, 29, 6), "reserved_2": _field(six, 168, 27, 2),
        "cs": _b(_field(six, 168, 26, 1)), "display": _b(_field(six, 168, 25, 1)),
        "dsc": _b(_field(six, 168, 24, 1)), "band": _b(_field(six, 168, 23, 1)),
        "msg22": _b(_field(six, 168, 22, 1)), "assigned": _b(_field(six, 168, 21, 1)),
        "raim": _b(_field(six, 168, 20, 1)), "radio": _field(six, 168, 0, 20),
    }


cdef dict _base_station(const unsigned char* six):
    # Type 4, 168 bits, as plans.run_plan runs pyais's MessageType4 plan and decode.normalise
    # shapes it: the epfd code as sent, 181/91 degrees ("not available") as None.
    return {
        "type": 4, "mmsi": _field(six, 168, 130, 30), "time": None,
        "repeat": _field(six, 168, 160, 2), "year": _field(six, 168, 116, 14),
        "month": _field(six, 168, 112, 4), "day": _field(six, 168, 107, 5),
        "hour": _field(six, 168, 102, 5), "minute": _field(six, 168, 96, 6),
        "second": _field(six, 168, 90, 6), "accuracy": _b(_field(six, 168, 89, 1)),
        "lon": _position(_field(six, 168, 61, 28), 108600000, 28, 10),
        "lat": _position(_field(six, 168, 34, 27), 54600000, 27, 10),
        "epfd": _field(six, 168, 30, 4), "raim": _b(_field(six, 168, 19, 1)),
        "radio": _field(six, 168, 0, 19),
    }
