"""The check workbook of issue 14 ("what it must show"): planted violations and clean traps,
checked as of the end of 2026-11-30 (Asia/Shanghai). ``python -m tests.residents.imports.workbook``
writes ``tests/data/residents-check.xlsx``; :func:`write_csv` writes the same rows as CSV files.

Clean traps: P01 an ordinary stay, registered; P02 four day trips in a month (8 crossings, not
more than 8; a day trip needs no lodging registration); P03 a lodging registered 23 h after
arrival; P04 a residence permit, not employed; P05 an expired passport of someone who left
(their latest entry was on a valid pass); P14 a registered marriage; P15 a pass expiring on the
check day (valid through it); P16 a non-designated crossing after the check day (ignored); P17
an entry 4 h before the end of the day (lodging not due yet).
"""

from __future__ import annotations

import csv
from pathlib import Path

CHECK_DAY = "2026-11-30"
OUT = Path(__file__).resolve().parents[2] / "data" / "residents-check.xlsx"

EXPECTED = {
    ("P06", "overstay"), ("P06", "expired_document"),
    ("P07", "overstay"),
    ("P08", "work_without_permit"),
    ("P09", "no_lodging_registration"),
    ("P10", "expired_document"),
    ("P11", "undesignated_crossing"),
    ("P12", "frequent_crossing"),
    ("P13", "unregistered_marriage"),
}

PERSONS = [
    ("人员编号 Person ID", "姓名 Name", "拉丁文姓名 Name (Latin)", "性别 Sex", "出生日期 Birth date",
     "国籍 Nationality", "村 Village", "户编号 Household ID"),
    ("P01", "Nguyễn Văn An", "NGUYEN VAN AN", "M", "1985-03-02", "VNM", "念井村", "H01"),
    ("P02", "Lê Thị Hoa", "LE THI HOA", "F", "1990-07-12", "VNM", "念井村", "H02"),
    ("P03", "Hoàng Văn Hùng", "HOANG VAN HUNG", "M", "1979-01-30", "VNM", "念井村", "H03"),
    ("P04", "Trần Thị Mai", "TRAN THI MAI", "F", "1992-11-05", "VNM", "念井村", "H04"),
    ("P05", "Phạm Văn Hưng", "PHAM VAN HUNG", "M", "1970-06-18", "VNM", "念井村", "H05"),
    ("P06", "Vũ Thị Lan", "VU THI LAN", "F", "1988-09-09", "VNM", "念井村", "H06"),
    ("P07", "Đỗ Văn Minh", "DO VAN MINH", "M", "1983-04-21", "VNM", "念井村", "H07"),
    ("P08", "Bùi Thị Hương", "BUI THI HUONG", "F", "1995-02-14", "VNM", "念井村", "H08"),
    ("P09", "Ngô Văn Tuấn", "NGO VAN TUAN", "M", "1987-12-01", "VNM", "念井村", "H09"),
    ("P10", "Đặng Thị Thu", "DANG THI THU", "F", "1975-08-08", "VNM", "念井村", "H10"),
    ("P11", "Lý Văn Long", "LY VAN LONG", "M", "1991-10-10", "VNM", "念井村", "H11"),
    ("P12", "Hồ Thị Ngọc", "HO THI NGOC", "F", "1993-05-25", "VNM", "念井村", "H12"),
    ("P13", "Nông Thị Xuân", "NONG THI XUAN", "F", "1996-03-03", "VNM", "念井村", "H13"),
    ("P14", "Mạc Thị Yến", "MAC THI YEN", "F", "1994-12-24", "VNM", "念井村", "H14"),
    ("P15", "La Văn Phúc", "LA VAN PHUC", "M", "1980-01-01", "VNM", "念井村", "H15"),
    ("P16", "Đinh Văn Khoa", "DINH VAN KHOA", "M", "1989-06-06", "VNM", "念井村", "H16"),
    ("P17", "Triệu Thị Hạnh", "TRIEU THI HANH", "F", "1997-07-07", "VNM", "念井村", "H17"),
]

DOCUMENTS = [
    ("人员编号 Person ID", "证件类型 Document type", "证件号码 Number", "签发日期 Issued",
     "有效期至 Expires", "停留天数 Stay (days)"),
    *[(f"P{n:02d}", "743", f"T{n:04d}", "2026-01-01", "2027-06-30", "")
      for n in (1, 2, 3, 4, 8, 9, 11, 12, 13, 14, 16, 17)],
    ("P05", "743", "T0005", "2026-01-01", "2027-06-30", ""),
    ("P05", "passport", "C5000005", "2016-07-01", "2026-06-30", ""),
    ("P06", "743", "T0006", "2025-11-21", "2026-11-20", ""),
    ("P07", "743", "T0007", "2026-01-01", "2027-06-30", "7"),
    ("P10", "护照", "C1000010", "2016-11-01", "2026-10-31", ""),
    ("P15", "743", "T0015", "2025-12-01", "2026-11-30", ""),
]

IN, OUT_ = "in", "out"
CROSSINGS = [
    ("人员编号 Person ID", "时间 Time", "方向 Direction", "口岸通道 Crossing point",
     "证件号码 Document number"),
    ("P01", "2026-11-10 08:00", IN, "东兴", "T0001"),
    ("P01", "2026-11-20 17:00", OUT_, "Móng Cái", "T0001"),
    *[row for day in (3, 10, 17, 24) for row in (
        ("P02", f"2026-11-{day:02d} 07:00", IN, "东兴口岸", "T0002"),
        ("P02", f"2026-11-{day:02d} 18:00", OUT_, "Cửa khẩu quốc tế Móng Cái", "T0002"))],
    ("P03", "2026-11-15 09:00", IN, "友谊关", "T0003"),
    ("P04", "2026-11-01 09:00", IN, "东兴", "T0004"),
    ("P05", "2026-03-01 10:00", IN, "东兴", "C5000005"),
    ("P05", "2026-03-05 10:00", OUT_, "东兴", "C5000005"),
    ("P05", "2026-11-02 10:00", IN, "东兴", "T0005"),
    ("P05", "2026-11-04 10:00", OUT_, "东兴", "T0005"),
    ("P06", "2026-11-01 09:00", IN, "东兴", "T0006"),
    ("P07", "2026-11-10 09:00", IN, "东兴", "T0007"),
    ("P09", "2026-11-20 10:00", IN, "东兴", "T0009"),
    ("P10", "2026-09-01 10:00", IN, "东兴", "C1000010"),
    ("P10", "2026-09-10 10:00", OUT_, "东兴", "C1000010"),
    ("P11", "2026-11-05 21:00", IN, "念井小道", "T0011"),
    ("P11", "2026-11-06 10:00", OUT_, "东兴", "T0011"),
    *[row for day in (2, 6, 9, 13, 16) for row in (
        ("P12", f"2026-11-{day:02d} 07:00", IN, "东兴", "T0012"),
        ("P12", f"2026-11-{day:02d} 16:00", OUT_, "东兴", "T0012"))],
    ("P15", "2026-11-25 09:00", IN, "东兴", "T0015"),
    ("P16", "2026-11-29 09:00", IN, "东兴", "T0016"),
    ("P16", "2026-12-02 09:00", OUT_, "念井小道", "T0016"),
    ("P17", "2026-11-30 20:00", IN, "东兴", "T0017"),
]

LODGINGS = [
    ("人员编号 Person ID", "登记时间 Registered at", "地址 Address"),
    ("P01", "2026-11-10 15:00", "念井村1组"),
    ("P03", "2026-11-16 08:00", "念井村3组"),
    ("P04", "2026-11-01 18:00", "念井村4组"),
    ("P05", "2026-03-01 20:00", "念井村5组"),
    ("P05", "2026-11-02 20:00", "念井村5组"),
    ("P06", "2026-11-01 19:00", "念井村6组"),
    ("P07", "2026-11-10 19:00", "念井村7组"),
    ("P09", "2026-11-21 12:00", "念井村9组"),
    ("P10", "2026-09-01 19:00", "念井村10组"),
    ("P11", "2026-11-06 08:00", "念井村11组"),
    ("P15", "2026-11-25 19:00", "念井村15组"),
    ("P16", "2026-11-29 19:00", "念井村16组"),
]

PERMITS = [
    ("人员编号 Person ID", "种类 Kind", "有效期起 Valid from", "有效期至 Valid to"),
    ("P04", "residence", "2026-01-01", "2027-12-31"),
    ("P08", "居留", "2026-01-01", "2027-12-31"),
]

EMPLOYMENT = [
    ("人员编号 Person ID", "用人单位 Employer", "起始日期 Since", "终止日期 Until"),
    ("P08", "东兴某木材加工厂", "2026-05-01", ""),
]

MARRIAGES = [
    ("人员编号 Person ID", "配偶编号 Spouse ID", "配偶姓名 Spouse name", "已登记 Registered",
     "起始日期 Since"),
    ("P13", "", "李明", "no", "2019-06-01"),
    ("P14", "", "黄伟", "yes", "2018-05-20"),
]

SHEETS = {"persons": PERSONS, "documents": DOCUMENTS, "crossings": CROSSINGS,
          "lodgings": LODGINGS, "permits": PERMITS, "employment": EMPLOYMENT,
          "marriages": MARRIAGES}


def build(path: Path = OUT, sheets: dict[str, list[tuple]] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (sheets or SHEETS).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def write_csv(folder: Path, sheets: dict[str, list[tuple]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (sheets or SHEETS).items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


if __name__ == "__main__":
    print(build())
