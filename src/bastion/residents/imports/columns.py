"""The sheets of a residents' workbook and their columns, headed in Chinese and English
(the reader matches either, ``core.tabular``)."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.tabular import Column


@dataclass(frozen=True)
class SheetSpec:
    key: str  # the sheet's (or CSV file's) name: persons, documents, ...
    zh: str
    columns: tuple[Column, ...]
    required: bool = False

    def names(self) -> set[str]:
        return {self.key, self.zh, f"{self.zh} {self.key}", f"{self.key} {self.zh}"}


PERSON_ID = Column("person_id", "Person ID", "人员编号", required=True, example="P001")

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("persons", "人员", (
        PERSON_ID,
        Column("name", "Name", "姓名", required=True, example="Nguyễn Văn An"),
        Column("name_latin", "Name (Latin)", "拉丁文姓名", example="NGUYEN VAN AN"),
        Column("sex", "Sex", "性别", example="M"),
        Column("birth_date", "Birth date", "出生日期", example="1990-05-01"),
        Column("nationality", "Nationality", "国籍", example="VNM"),
        Column("village", "Village", "村", example="念井村"),
        Column("household_id", "Household ID", "户编号", example="H01"),
    ), required=True),
    SheetSpec("documents", "证件", (
        PERSON_ID,
        Column("doc_type", "Document type", "证件类型", required=True, example="743"),
        Column("number", "Number", "证件号码", required=True, example="T1234567"),
        Column("issued", "Issued", "签发日期", example="2026-01-01"),
        Column("expires", "Expires", "有效期至", example="2027-01-01"),
        Column("stay_days", "Stay (days)", "停留天数", example="30"),
    )),
    SheetSpec("crossings", "出入境", (
        PERSON_ID,
        Column("time", "Time", "时间", required=True, example="2026-11-03 08:30"),
        Column("direction", "Direction", "方向", required=True, example="in"),
        Column("crossing_point", "Crossing point", "口岸通道", required=True, example="东兴"),
        Column("doc_number", "Document number", "证件号码", example="T1234567"),
    )),
    SheetSpec("lodgings", "住宿登记", (
        PERSON_ID,
        Column("registered_at", "Registered at", "登记时间", required=True,
               example="2026-11-03 20:00"),
        Column("address", "Address", "地址", example="念井村3组"),
    )),
    SheetSpec("permits", "许可", (
        PERSON_ID,
        Column("kind", "Kind", "种类", required=True, example="work"),
        Column("valid_from", "Valid from", "有效期起", example="2026-01-01"),
        Column("valid_to", "Valid to", "有效期至", example="2026-12-31"),
    )),
    SheetSpec("employment", "就业", (
        PERSON_ID,
        Column("employer", "Employer", "用人单位", required=True, example="东兴某木材厂"),
        Column("since", "Since", "起始日期", example="2026-03-01"),
        Column("until", "Until", "终止日期", example=""),
    )),
    SheetSpec("marriages", "婚姻", (
        PERSON_ID,
        Column("spouse_id", "Spouse ID", "配偶编号", example=""),
        Column("spouse_name", "Spouse name", "配偶姓名", example="李明"),
        Column("registered", "Registered", "已登记", required=True, example="no"),
        Column("since", "Since", "起始日期", example="2020-06-01"),
    )),
)

BY_KEY = {s.key: s for s in SHEETS}
