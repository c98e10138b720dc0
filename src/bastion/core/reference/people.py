"""Vocabularies about people: gender and identity documents.

One table each for every domain: clearance reads FAL 5/6 crew and passenger lists, screening
reads watchlists, the land border will read residents' and travellers' documents. Each domain
keeps the subset its format allows (``CLEARANCE_DOCUMENTS``) and stores what it stored before:
clearance the MRZ letter of a gender (``Term.attrs["mrz"]``), screening ``male``/``female``.
"""

from __future__ import annotations

from bastion.core.i18n import lazy
from bastion.core.reference.vocab import Term, Vocabulary

# ICAO 9303 part 4, 4.2.2.2: the MRZ sex field is M, F or < (unspecified), printed X in the VIZ.
# GB/T 2261.1-2003 codes (Chinese ID data): 1 male, 2 female, 9 unspecified.
GENDERS = Vocabulary("gender", [
    Term("male", lazy("Male"), ("M", "男", "男性"), attrs={"mrz": "M", "gb2261": "1"}),
    Term("female", lazy("Female"), ("F", "女", "女性"), attrs={"mrz": "F", "gb2261": "2"}),
    Term("unspecified", lazy("Unspecified"), ("X", "<", "未说明", "未说明的性别"),
         attrs={"mrz": "X", "gb2261": "9"}),
])


def gender_mrz(text: str) -> str | None:
    """M, F or X as the MRZ writes it (FAL 5/6 'Gender'), from any accepted spelling."""
    found = GENDERS.parse(text)
    return found.attrs["mrz"] if found else None


# One vocabulary of identity documents. Clearance's codes are canonical (FAL 5/6 "nature of
# identity document"); screening's former codes ``id``, ``seafarer`` and ``border_pass`` are
# aliases, so watchlist rows stored before read the same. One-letter spellings are the FAL
# templates' (ICAO 9303 document codes where one exists: P passport, I identity card).
DOCUMENT_TYPES = Vocabulary("document_type", [
    Term("passport", lazy("Passport"), ("P", "passport", "护照"), attrs={"icao": "P"}),
    Term("identity_card", lazy("Identity card"),
         ("I", "ID card", "identity card", "身份证", "居民身份证"), aliases=("id",),
         attrs={"icao": "I"}),
    # ILO Seafarers' Identity Documents Convention (C185 / C108); 海员证 in China
    Term("seafarer_id", lazy("Seafarer's identity document"),
         ("S", "SID", "seafarer's identity document", "seafarers identity document",
          "seafarer id", "海员证", "海员身份证件"), aliases=("seafarer",)),
    Term("seamans_book", lazy("Seaman's book"),
         ("B", "seaman's book", "seamans book", "seaman book", "海员手册")),
    Term("visa", lazy("Visa"), ("visa", "签证"), attrs={"icao": "V"}),
    Term("residence_permit", lazy("Residence permit"), ("residence permit", "居留许可", "居留证")),
    Term("travel_permit", lazy("Travel permit"),
         ("C", "travel permit", "通行证", "往来港澳通行证", "台湾居民来往大陆通行证")),
    # The pass for residents of the border areas crossing between China and Vietnam; its
    # exit-entry document type codes 740, 743 and 744 (as listed in issue #9) are spellings too.
    Term("cn_vn_border_pass", lazy("China–Vietnam border area exit-entry pass"),
         ("中越边境地区出入境通行证", "边境地区出入境通行证", "China-Vietnam border pass",
          "border area exit-entry pass", "740", "743", "744"),
         attrs={"codes": ("740", "743", "744")}),
    # 中华人民共和国边境管理区通行证 (Ministry of Public Security order no. 42, 1999), which the
    # order itself shortens to 边境通行证; document type code 711 (issue #9).
    Term("border_area_pass", lazy("Border management area pass"),
         ("边境管理区通行证", "中华人民共和国边境管理区通行证", "边境通行证", "border pass",
          "border area pass", "border management area pass", "711"),
         aliases=("border_pass",), attrs={"codes": ("711",)}),
    Term("other", lazy("Other document"), ("O", "other", "其他")),
])

# FAL 5/6 lists name identity documents a ship's crew or passengers travel on.
CLEARANCE_DOCUMENTS = frozenset({"passport", "seafarer_id", "seamans_book", "identity_card",
                                 "travel_permit", "other"})


def document_type(text: str, allowed: frozenset[str] | None = None) -> str | None:
    """The canonical code of a document type written any accepted way, if ``allowed``."""
    found = DOCUMENT_TYPES.parse(text)
    if found is None or (allowed is not None and found.code not in allowed):
        return None
    return found.code
