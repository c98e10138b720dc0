"""Reference vocabularies of the floor, one of each for every domain.

- ``countries``: ISO 3166-1 and the ICAO 9303 travel-document codes; names in the user's language.
- ``people``: gender and identity-document types (``vocab.Vocabulary``: canonical codes, labels,
  every accepted spelling in Chinese and English, former codes as aliases).
- ``ships``: IMO number check digit, MMSI structure, MID -> flag (ITU-R M.585).
- ``mrz``: ICAO 9303 machine readable zone check digits (TD1, TD3).

Domains keep the subset their formats allow and call these; they do not keep tables of their own.
"""
