"""How tests/data/residents-name-pairs.csv was written: persons listed by hand (Han name,
Vietnamese name, date of birth; the dev and held-out persons are different people), the kinds of
variant made from each, and hand-written hard negatives and specials per split.

    python tests/residents/names/make_pairs.py > tests/data/residents-name-pairs.csv
"""
import csv
import sys
import unicodedata

from opencc import OpenCC

t2s = OpenCC("t2s")

def strip(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))

DEV = [
 ("阮文安","Nguyễn Văn An","1988-04-12"), ("黎氏花","Lê Thị Hoa","1992-11-03"),
 ("陳文雄","Trần Văn Hùng","1979-01-25"), ("范氏蘭","Phạm Thị Lan","1995-06-30"),
 ("黃文德","Hoàng Văn Đức","1983-09-09"), ("武氏秋","Vũ Thị Thu","1990-02-14"),
 ("鄧文勇","Đặng Văn Dũng","1986-12-01"), ("裴氏香","Bùi Thị Hương","1998-07-19"),
 ("杜文興","Đỗ Văn Hưng","1975-05-05"), ("胡氏梅","Hồ Thị Mai","1993-03-21"),
 ("吳文俊","Ngô Văn Tuấn","1989-10-10"), ("丁氏玉","Đinh Thị Ngọc","1997-08-08"),
 ("潘文強","Phan Văn Cường","1981-04-04"), ("何氏和","Hà Thị Hòa","1994-01-17"),
 ("李文明","Lý Văn Minh","1987-06-06"), ("阮氏秋香","Nguyễn Thị Thu Hương","1991-09-27"),
 ("陳國光","Trần Quốc Quang","1972-03-03"), ("農文海","Nông Văn Hải","1984-11-11"),
 ("黎文英","Lê Văn Anh","1996-02-02"), ("楊氏春","Dương Thị Xuân","1999-12-12"),
 ("林文山","Lâm Văn Sơn","1980-08-18"), ("梁氏芳","Lương Thị Phương","1993-05-25"),
]
HELD = [
 ("阮文英","Nguyễn Văn Anh","1985-03-02"), ("黎氏紅","Lê Thị Hồng","1990-10-20"),
 ("陳氏花","Trần Thị Hoa","1994-04-14"), ("范文忠","Phạm Văn Trung","1978-07-07"),
 ("黃氏燕","Hoàng Thị Yến","1996-06-16"), ("武文成","Vũ Văn Thành","1982-02-22"),
 ("鄧氏惠","Đặng Thị Huệ","1991-01-31"), ("裴文平","Bùi Văn Bình","1988-08-28"),
 ("杜氏清","Đỗ Thị Thanh","1995-05-15"), ("胡文義","Hồ Văn Nghĩa","1976-09-19"),
 ("吳氏雪","Ngô Thị Tuyết","1999-11-29"), ("丁文孝","Đinh Văn Hiếu","1984-04-24"),
 ("潘氏碧","Phan Thị Bích","1993-03-13"), ("何文龍","Hà Văn Long","1980-12-30"),
 ("李氏梅","Lý Thị Mai","1997-07-27"), ("阮氏玉蘭","Nguyễn Thị Ngọc Lan","1992-02-12"),
 ("陳文福","Trần Văn Phúc","1973-06-26"), ("農氏月","Nông Thị Nguyệt","1998-10-08"),
 ("閉文安","Bế Văn An","1986-01-06"), ("楊文輝","Dương Văn Huy","1989-05-09"),
 ("鄭氏貞","Trịnh Thị Trinh","1994-09-04"), ("高文勝","Cao Văn Thắng","1981-03-23"),
]
rows = []
def add(q, c, label, cat, split, qd="", cd=""):
    rows.append({"query": q, "candidate": c, "query_dob": qd, "candidate_dob": cd,
                 "label": label, "category": cat, "split": split})

def people(persons, split):
    for i, (han, vi, dob) in enumerate(persons):
        add(han, vi, 1, "han_hanviet", split)
        add(han, strip(vi).upper(), 1, "han_hanviet_ascii", split)
        add(vi, strip(vi).upper(), 1, "vi_no_diacritics", split)
        simp = t2s.convert(han)
        if simp != han:
            add(simp, strip(vi), 1, "han_simplified_latin", split)
            if i % 2 == 0:
                add(han, simp, 1, "han_trad_simp", split)
        if i % 3 == 0:
            add(vi, strip(vi).lower(), 1, "vi_no_diacritics", split, dob, dob)
        if i % 4 == 1:
            parts = strip(vi).upper().split()
            add(vi, " ".join(parts[1:] + parts[:1]), 1, "vi_order", split)
        if i % 5 == 2:
            add(han, vi, 1, "han_hanviet_dob", split, dob, dob)
            add(vi, strip(vi).upper(), 0, "neg_dob", split, dob, str(int(dob[:4]) - 14) + dob[4:])

def others(persons, split):
    n = len(persons)
    for i, (han, vi, dob) in enumerate(persons):
        oh, ov, _ = persons[(i + 7) % n]
        if han[-1] == oh[-1] or vi.split()[-1] == ov.split()[-1]:
            continue
        add(vi, " ".join(vi.split()[:-1] + ov.split()[-1:]), 0, "neg_given", split)
        add(han, han[:-1] + oh[-1], 0, "neg_han_given", split)
        add(han, strip(" ".join(vi.split()[:-1] + ov.split()[-1:])).upper(), 0, "neg_han_latin_given", split)

others(DEV, "dev")
others(HELD, "heldout")
people(DEV, "dev")
people(HELD, "heldout")

# hand-written specials, hard negatives first
SPECIAL = {
"dev": [
 ("Nguyễn Văn An","Nguyễn Văn Anh",0,"neg_an_anh"),
 ("NGUYEN VAN AN","NGUYEN VAN ANH",0,"neg_an_anh"),
 ("阮文安","Nguyễn Văn Anh",0,"neg_an_anh"),
 ("阮文安","NGUYEN VAN ANH",0,"neg_an_anh"),
 ("Trần Văn Hùng","Trần Văn Hưng",0,"neg_diacritics"),
 ("陳文雄","Trần Văn Hưng",0,"neg_diacritics"),
 ("Lê Thị Hoa","Lê Thị Hòa",0,"neg_diacritics"),
 ("黎氏花","Lê Thị Hòa",0,"neg_diacritics"),
 ("Đặng Văn Dũng","Đặng Văn Dung",0,"neg_diacritics"),
 ("Lê Văn Minh","Lý Văn Minh",0,"neg_le_ly"),
 ("黎文明","Lý Văn Minh",0,"neg_le_ly"),
 ("LE VAN MINH","LY VAN MINH",0,"neg_le_ly"),
 ("Nguyễn Văn An","Nguyễn Văn Bình",0,"neg_given"),
 ("Nguyễn Thị Thu Hương","Nguyễn Thị Thu Hà",0,"neg_given"),
 ("Phạm Thị Lan","Phạm Thị Lành",0,"neg_given"),
 ("阮文安","阮文英",0,"neg_han_given"),
 ("陳文雄","陳文興",0,"neg_han_given"),
 ("黎氏花","黎氏香",0,"neg_han_given"),
 ("Nguyễn Văn An","Nguyễn Thị An",0,"neg_middle"),
 ("黎氏花","Lý Thị Hoa",0,"neg_surname"),
 ("Hoàng Văn Đức","Phạm Văn Đức",0,"neg_surname"),
 ("Hồ Thị Mai","Hà Thị Mai",0,"neg_surname"),
 ("Ngô Văn Tuấn","Ngô Văn Tuân",0,"neg_diacritics"),
 ("Bùi Thị Hương","Bùi Thị Hường",0,"neg_diacritics"),
 ("王小明","Vương Tiểu Minh",1,"han_hanviet"),
 ("王小明","WANG XIAOMING",1,"han_pinyin"),
 ("阮文英","阮文瑛",1,"han_same_reading"),
 ("黎氏蘭","黎氏兰",1,"han_trad_simp"),
 ("Hà Thị Hoà","Hà Thị Hòa",1,"vi_tone_placement"),
 ("Vũ Thị Thuỷ","Vũ Thị Thủy",1,"vi_tone_placement"),
 ("Lý Văn Minh","Lí Văn Minh",1,"vi_i_y"),
 ("武氏秋","Võ Thị Thu",1,"han_hanviet_regional"),
 ("黃文德","Huỳnh Văn Đức",1,"han_hanviet_regional"),
 ("NGUYEN VAN AN","NGUYEN VAN AMN",1,"vi_typo"),
 ("阮氏秋香","NGUYEN THI THUHUONG",1,"han_hanviet_joined"),
 ("Trần Quốc Quang","Quang Tran",0,"neg_missing_parts"),
 ("陳國光","TRAN QUOC-QUANG",1,"han_hanviet_joined"),
 ("TRAN QUOC QUANG","TRAN QUOC QUAGN",1,"vi_typo"),
 ("LUONG THI PHUONG","LUONG THI PHUONGG",1,"vi_typo"),
],
"heldout": [
 ("Bế Văn An","Bế Văn Anh",0,"neg_an_anh"),
 ("BE VAN AN","BE VAN ANH",0,"neg_an_anh"),
 ("閉文安","Bế Văn Anh",0,"neg_an_anh"),
 ("阮文英","Nguyễn Văn An",0,"neg_an_anh"),
 ("Hà Văn Hùng","Hà Văn Hưng",0,"neg_diacritics"),
 ("何文雄","Hà Văn Hưng",0,"neg_diacritics"),
 ("Trần Thị Hoa","Trần Thị Hòa",0,"neg_diacritics"),
 ("陳氏花","Trần Thị Hòa",0,"neg_diacritics"),
 ("Bùi Văn Bình","Bùi Văn Bính",0,"neg_diacritics"),
 ("Lê Thị Mai","Lý Thị Mai",0,"neg_le_ly"),
 ("李氏梅","Lê Thị Mai",0,"neg_le_ly"),
 ("LE THI MAI","LY THI MAI",0,"neg_le_ly"),
 ("Phạm Văn Trung","Phạm Văn Tùng",0,"neg_given"),
 ("Nguyễn Thị Ngọc Lan","Nguyễn Thị Ngọc Hân",0,"neg_given"),
 ("Dương Văn Huy","Dương Văn Hải",0,"neg_given"),
 ("阮文英","阮文安",0,"neg_han_given"),
 ("武文成","武文誠",1,"han_same_reading"),
 ("陳文福","陳文祿",0,"neg_han_given"),
 ("Hồ Văn Nghĩa","Hồ Thị Nghĩa",0,"neg_middle"),
 ("李氏梅","Lê Thị Mai",0,"neg_surname"),
 ("Vũ Văn Thành","Võ Văn Thanh",0,"neg_diacritics"),
 ("Đỗ Thị Thanh","Đào Thị Thanh",0,"neg_surname"),
 ("Cao Văn Thắng","Cao Văn Thăng",0,"neg_diacritics"),
 ("Trịnh Thị Trinh","Trịnh Thị Trình",0,"neg_diacritics"),
 ("張文德","Trương Văn Đức",1,"han_hanviet"),
 ("黎文英","黎文瑛",1,"han_same_reading"),
 ("阮文瑛","Nguyễn Văn Anh",1,"han_hanviet"),
 ("黃氏燕","黄氏燕",1,"han_trad_simp"),
 ("Phan Thị Bích Thuỷ","Phan Thị Bích Thủy",1,"vi_tone_placement"),
 ("Đỗ Văn Hoà","Đỗ Văn Hòa",1,"vi_tone_placement"),
 ("Lý Thị Mai","Lí Thị Mai",1,"vi_i_y"),
 ("武文成","Võ Văn Thành",1,"han_hanviet_regional"),
 ("黃氏燕","Huỳnh Thị Yến",1,"han_hanviet_regional"),
 ("NGUYEN THI NGOC LAN","NGUYEN THI NGOC LNA",1,"vi_typo"),
 ("阮氏玉蘭","NGUYEN THI NGOCLAN",1,"han_hanviet_joined"),
 ("Dương Văn Huy","Huy Duong",0,"neg_missing_parts"),
 ("楊文輝","DUONG VAN-HUY",1,"han_hanviet_joined"),
 ("DUONG VAN HUY","DUONG VAN HUYY",1,"vi_typo"),
 ("NONG THI NGUYET","NONG THI NGUYEY",1,"vi_typo"),
],
}
for split, items in SPECIAL.items():
    for q, c, label, cat in items:
        add(q, c, label, cat, split)
w = csv.DictWriter(sys.stdout, fieldnames=["query","candidate","query_dob","candidate_dob","label","category","split"], lineterminator="\n")
w.writeheader(); w.writerows(rows)
