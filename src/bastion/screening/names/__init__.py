"""Cross-script person-name matching for watchlist screening.

Public API: ``name_keys`` (storable search keys), ``score`` (person vs record with an
explanation), ``name_score`` (two bare names) and ``CandidateIndex`` (in-memory search).
"""

from .index import CandidateIndex
from .keys import NameKeys, name_keys
from .score import DEFAULT_THRESHOLD, MatchResult, PersonQuery, PersonRecord, name_score, score

__all__ = [
           "DEFAULT_THRESHOLD",
           "CandidateIndex",
           "MatchResult",
           "NameKeys",
           "PersonQuery",
           "PersonRecord",
           "name_keys",
           "name_score",
           "score",
]
