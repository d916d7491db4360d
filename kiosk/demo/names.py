"""Realistic Chinese names for demo volunteers.

Surnames are drawn by their approximate share of the population of mainland
China (national household-registration figures, in hundredths of a percent),
with a few two-character surnames at low weight. Given names are one or two
characters from those common in names; two characters about three times in four.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

#: (surname, approximate share of the population in 0.01 %).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 712), ("李", 700), ("张", 674), ("刘", 510), ("陈", 461), ("杨", 322), ("黄", 245),
    ("赵", 219), ("吴", 200), ("周", 195), ("徐", 145), ("孙", 138), ("马", 129), ("朱", 126),
    ("胡", 116), ("郭", 115), ("何", 106), ("林", 100), ("高", 100), ("罗", 94), ("郑", 85),
    ("梁", 83), ("谢", 78), ("宋", 71), ("唐", 70), ("许", 66), ("韩", 64), ("冯", 62),
    ("邓", 62), ("曹", 58), ("彭", 56), ("曾", 55), ("肖", 53), ("田", 51), ("董", 50),
    ("袁", 48), ("潘", 47), ("于", 46), ("蒋", 45), ("蔡", 44), ("余", 43), ("杜", 42),
    ("叶", 41), ("程", 40), ("苏", 38), ("魏", 37), ("吕", 36), ("丁", 35), ("任", 34),
    ("沈", 33), ("姚", 32), ("卢", 31), ("姜", 30), ("崔", 29), ("钟", 28), ("谭", 27),
    ("陆", 26), ("汪", 25), ("范", 24), ("金", 23), ("石", 22), ("廖", 21), ("贾", 21),
    ("夏", 20), ("韦", 20), ("付", 19), ("方", 19), ("白", 18), ("邹", 18), ("孟", 17),
    ("熊", 17), ("秦", 16), ("邱", 16), ("江", 15), ("尹", 15), ("薛", 14), ("闫", 14),
    ("段", 13), ("雷", 13), ("侯", 12), ("龙", 12), ("史", 11), ("陶", 11), ("黎", 11),
    ("贺", 10), ("顾", 10), ("毛", 10), ("郝", 10), ("龚", 9), ("邵", 9), ("万", 9),
    ("钱", 9), ("严", 8), ("覃", 8), ("武", 8), ("戴", 8), ("莫", 7), ("孔", 7), ("向", 7),
    ("汤", 7), ("欧阳", 2), ("司马", 1), ("上官", 1), ("诸葛", 1),
)  # fmt: skip

#: Characters common in given names, for men and women alike.
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华彩霞平刚桂兰玉萍红娟建国文辉力"
    "鹏飞斌宇浩凯健俊帆鑫波海峰亮志刚丹玲燕慧琳婷雪梅晶莉佳欣怡然子涵梓轩"
    "思雨嘉诚博睿泽晨阳一宁安心悦瑶可馨雅琪欢倩颖璐婉淑贞慧巧美娇云莲真环"
    "凤洁荣爱妹霖瑞德福生成龙元全胜学祥才发武新利清飞彬富顺信子杰涵宏晓光"
    "天达春秋冬松柏林森立志永远振兴家庆金鸿良栋维启克伦翔旭鹏泽晗昊然"
)

_SURNAME_LIST = [s for s, _ in SURNAMES]
_SURNAME_CUMULATIVE = list(accumulate(w for _, w in SURNAMES))
_GIVEN = sorted(set(GIVEN_NAME_CHARS))


def random_surname(rng: random.Random) -> str:
    """A surname drawn by its share of the population."""
    return _SURNAME_LIST[bisect(_SURNAME_CUMULATIVE, rng.random() * _SURNAME_CUMULATIVE[-1])]


def random_name(rng: random.Random) -> str:
    """A full name: surname and a given name of one or two characters, such as 王芳 or 李建国."""
    surname = random_surname(rng)
    if rng.random() < 0.25:
        return surname + rng.choice(_GIVEN)
    return surname + rng.choice(_GIVEN) + rng.choice(_GIVEN)
