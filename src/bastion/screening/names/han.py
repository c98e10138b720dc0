"""Han names: traditional ↔ simplified, surname/given split and per-syllable readings.

Surnames are read with their *surname* reading, which often differs from the character's
common reading (单 SHAN not DAN, 曾 ZENG not CENG, 朴 PIAO not PU).  Given names keep every
reading pypinyin lists (heteronyms), because a name's reading is the bearer's choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import opencc
import ToJyutping
from pypinyin import Style, pinyin

from .romanize import strip_tone

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")

# Surname readings that differ from (or are not first among) a character's common readings.
# Source: GB/T 28039-2011 《中国人名汉语拼音字母拼写规则》 and the readings in 《百家姓》 as given
# by 现代汉语词典 (7th ed.) entries marked "姓".  Keys are simplified characters.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "区": ("ou",),
    "查": ("zha",), "覃": ("qin", "tan"), "朴": ("piao",), "乐": ("yue", "le"),
    "员": ("yun",), "缪": ("miao",), "盖": ("ge", "gai"), "繁": ("po",), "召": ("shao",),
    "翟": ("zhai",), "种": ("chong",), "秘": ("bi",), "冼": ("xian",), "折": ("she",),
    "黑": ("he",), "华": ("hua",), "任": ("ren",), "沈": ("shen",), "叶": ("ye",),
    "柏": ("bai",), "尉": ("yu", "wei"), "宿": ("su",), "句": ("gou",), "卜": ("bu",),
    "相": ("xiang",), "能": ("nai",), "过": ("guo",), "牟": ("mou", "mu"), "燕": ("yan",),
    "葛": ("ge",), "薄": ("bo",), "莘": ("shen",), "祭": ("zhai",), "厍": ("she",),
    "重": ("chong",), "谌": ("chen",), "长": ("chang",), "藏": ("zang",), "强": ("qiang",),
    "贾": ("jia",), "石": ("shi",), "车": ("che",), "都": ("du",), "纪": ("ji",),
    "蕃": ("pi",), "隗": ("wei",), "秦": ("qin",), "阚": ("kan",), "啜": ("chuai",),
    "逄": ("pang",), "亓": ("qi",), "眭": ("sui",), "郇": ("huan",), "洗": ("xian",),
    "万": ("wan",), "朝": ("chao",), "参": ("can",), "率": ("shuai",), "传": ("chuan",),
}

# Two-character surnames (复姓), simplified.  Source: 《百家姓》 compound surnames still in use.
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "夏侯", "令狐", "宇文", "长孙", "司徒", "端木", "轩辕", "南宫", "西门", "独孤", "呼延", "万俟", "闻人", "濮阳", "淳于", "单于", "太史", "申屠", "公羊", "澹台", "宗政", "赫连", "钟离", "百里", "东郭", "拓跋", "司空", "公冶", "左丘", "微生", "梁丘", "乐正", "漆雕", "壤驷", "巫马", "鲜于", "谷梁", "段干", "子车", "羊舌"]
)
_COMPOUND_READINGS = {"万俟": ("mo", "qi"), "尉迟": ("yu", "chi"), "单于": ("chan", "yu"),
                      "长孙": ("zhang", "sun"), "澹台": ("tan", "tai"), "乐正": ("yue", "zheng")}


# Common single-character surnames (simplified): the 100 most frequent in the PRC (Ministry
# of Public Security household-register ranking, 2020) plus those frequent in Hong Kong,
# Macau and Taiwan (区 麦 关 邝 冼 岑 温 庄 柯 施 游 简 连 卓 阮 涂 蓝 翁 詹 ...).
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝"
    "顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文区麦关邝冼岑温庄柯施游简连卓阮涂蓝翁詹童纪柳单查仇"
    "解朴翟缪盖葛伍甘植巫欧司尉欧鲍霍郁储"
)
# Spellings used on passports outside the mainland for some surnames, whatever the system
# of the given name: 李 LEE (HK, Taiwan, overseas), 吕/律 LYU (GB/T 28039-2011: ü → YU).
OVERSEAS_SURNAME = {"李": ("lee",)}


def to_simplified(text: str) -> str:
    return _T2S.convert(text)


def to_traditional(text: str) -> str:
    return _S2T.convert(text)


@dataclass(frozen=True, slots=True)
class HanName:
    """A Han name split into surname and given name, in simplified and traditional form."""

    simplified: str
    traditional: str
    surname_len: int

    @property
    def surname(self) -> str:
        return self.simplified[: self.surname_len]

    @property
    def given(self) -> str:
        return self.simplified[self.surname_len :]


def split_han(chars: str) -> HanName:
    """Surname first (Chinese order); a compound surname when the first two characters are one."""
    simp = to_simplified(chars)
    slen = 2 if len(simp) >= 3 and simp[:2] in COMPOUND_SURNAMES else min(1, len(simp))
    return HanName(simp, to_traditional(simp), slen)


@lru_cache(maxsize=65536)
def char_pinyin(ch: str) -> tuple[str, ...]:
    """All toneless pinyin readings of one character, most common first."""
    readings = pinyin(ch, style=Style.TONE3, heteronym=True, errors="ignore")
    if not readings:
        return ()
    return tuple(dict.fromkeys(strip_tone(r) for r in readings[0]))


def surname_pinyin(name: HanName) -> list[tuple[str, ...]]:
    """Per-syllable pinyin alternatives of the surname, surname readings first."""
    if name.surname in _COMPOUND_READINGS:
        return [(r,) for r in _COMPOUND_READINGS[name.surname]]
    out = []
    for ch in name.surname:
        special = SURNAME_READINGS.get(ch)
        out.append(_u_variants(special if special else char_pinyin(ch)[:2]))
    return out


def _u_variants(readings: tuple[str, ...]) -> tuple[str, ...]:
    """ü (pypinyin 'v') is written YU on PRC passports (GB/T 28039-2011), U or V elsewhere."""
    out: list[str] = []
    for r in readings:
        out += [r.replace("v", "yu"), r.replace("v", "u"), r] if "v" in r else [r]
    return tuple(dict.fromkeys(out))


def given_pinyin(name: HanName) -> list[tuple[str, ...]]:
    """Per-syllable pinyin alternatives of the given name (all heteronyms, capped at 3)."""
    return [_u_variants(char_pinyin(ch)[:3]) for ch in name.given]


@lru_cache(maxsize=65536)
def char_jyutping(ch: str) -> tuple[str, ...]:
    """Cantonese readings (Jyutping) of one character, from ToJyutping's dictionary."""
    found = ToJyutping.get_jyutping_candidates(ch)
    if not found or not found[0][1]:
        return ()
    return tuple(found[0][1])


def jyutping_syllables(text: str) -> list[tuple[str, ...]]:
    """Per-character Jyutping alternatives, reading the traditional form (HK/Macau usage)."""
    return [char_jyutping(ch) or char_jyutping(to_traditional(ch)) for ch in text]
