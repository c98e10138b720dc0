"""Key derivation for each script family."""

import json

import pytest

from bastion.screening.names import NameKeys, name_keys


def forms(name: str, system: str) -> set[str]:
    return set(name_keys(name).forms[system])


def test_han_simplified_and_traditional_share_keys():
    trad, simp = name_keys("陳大文"), name_keys("陈大文")
    assert trad.han_simplified == simp.han_simplified == "陈大文"
    assert trad.han_traditional == simp.han_traditional == "陳大文"
    assert trad.blocking == simp.blocking


@pytest.mark.parametrize(("name", "reading"), [
    ("单田芳", "SHAN TIANFANG"), ("曾志伟", "ZENG ZHIWEI"), ("解晓东", "XIE XIAODONG"),
    ("仇建平", "QIU JIANPING"), ("区志航", "OU ZHIHANG"), ("查海生", "ZHA HAISHENG"),
    ("覃海洋", "QIN HAIYANG"), ("朴英姬", "PIAO YINGJI"), ("翟志刚", "ZHAI ZHIGANG"),
])
def test_surname_readings_come_first(name, reading):
    assert name_keys(name).forms["pinyin"][0] == reading


def test_compound_surname_and_u_umlaut():
    assert name_keys("欧阳娜娜").forms["pinyin"][0] == "OUYANG NANA"
    assert "LYU JIANHUA" in forms("吕建华", "pinyin")  # GB/T 28039-2011 writes ü as YU


def test_given_name_heteronyms_are_kept():
    # 乐 is LE or YUE; both readings must reach the index
    assert {"WANG LE", "WANG YUE"} <= forms("王乐", "pinyin")


@pytest.mark.parametrize(("name", "reading"), [
    ("陈大文", "CHAN TAIMAN"), ("張家豪", "CHEUNG KAHO"), ("吳美玲", "NG MEILING"),
    ("周國明", "CHOW KWOKMING"), ("謝子健", "TSE TSZKIN"), ("黃志強", "WONG CHIKEUNG"),
])
def test_cantonese_government_romanisation(name, reading):
    compact = {f.replace(" ", "") for f in name_keys(name).forms["cantonese"]}
    sur, giv = name_keys(name).romanisations["cantonese"]
    spelled = {"".join(x) for x in __import__("itertools").product(*sur, *giv)}
    assert reading.replace(" ", "").lower() in spelled | {c.lower() for c in compact}


@pytest.mark.parametrize(("name", "reading"), [
    ("張志明", "CHANG CHIHMING"), ("許建宏", "HSU CHIENHUNG"), ("謝雅婷", "HSIEH YATING"),
    ("郭冠宇", "KUO KUANYU"), ("曾文雄", "TSENG WENHSIUNG"), ("蔡淑芬", "TSAI SHUFEN"),
])
def test_wade_giles(name, reading):
    assert reading in forms(name, "wade_giles")


def test_vietnamese_diacritics_fold_and_d_stroke():
    k = name_keys("Nguyễn Văn Đức")
    assert k.tokens == ("nguyen", "van", "duc")
    assert k.latin == "nguyen van duc"


@pytest.mark.parametrize(("name", "tokens", "script"), [
    ("François Müller", ("francois", "muller"), "latin"),
    ("Сергей Петренко", ("sergey", "petrenko"), "cyrillic"),
    ("Ελένη Παπαδοπούλου", ("eleni", "papadopoulou"), "greek"),
    ("محمد علي", ("mhmd", "ly"), "arabic"),
    ("JUAN DE LA-CRUZ", ("juan", "de", "la", "cruz"), "latin"),
])
def test_transliteration(name, tokens, script):
    k = name_keys(name)
    assert k.tokens == tokens
    assert k.script == script


def test_keys_round_trip_through_json():
    for name in ("陳大文", "Nguyễn Văn Đức", "Сергей Петренко"):
        k = name_keys(name)
        back = NameKeys.from_dict(json.loads(json.dumps(k.to_dict(), ensure_ascii=False)))
        assert back == k
