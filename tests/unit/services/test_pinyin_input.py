"""Pinyin to Chinese for the touch keyboard: full pinyin, initials and any mix find a word; no text breaks it."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from kiosk.services.pinyin_input import (
    MAX_TYPED_LETTERS,
    Candidate,
    PinyinInput,
    common_index,
    gb2312_level,
    typed_letters,
)

NAMES = ["雷彩霞", "李晓明", "王小明", "单雄信", "吕青"]
REASONS = ["手机没电", "忘带志愿者证"]


@pytest.fixture(scope="module")
def typing() -> PinyinInput:
    return PinyinInput([*NAMES, *REASONS])


def texts(candidates: list[Candidate]) -> list[str]:
    return [c.text for c in candidates]


@pytest.mark.parametrize(
    "typed", ["lixiaoming", "lxm", "lixm", "li'xiao'ming", "LiXiaoMing", "lixiao", "lixiaom"]
)
def test_full_pinyin_initials_and_a_mix_find_a_name_the_kiosk_knows_first(
    typing: PinyinInput, typed: str
) -> None:
    first = typing.candidates(typed)[0]
    assert first.text == "李晓明"
    assert first.letters == len(typed_letters(typed)), "it stands for all the letters typed"


def test_a_few_letters_offer_the_known_words_first_then_the_characters(typing: PinyinInput) -> None:
    found = texts(typing.candidates("li"))
    assert found[0] == "李晓明"
    assert {"李", "里", "理", "力"} <= set(found[:15])
    assert texts(typing.candidates("sjmd"))[0] == "手机没电"
    assert texts(typing.candidates("shan"))[0] == "单雄信", "a surname's own reading (单 shàn) counts"
    assert texts(typing.candidates("lvq"))[0] == "吕青", "ü is typed v"


def test_phrases_come_before_single_characters() -> None:
    found = texts(PinyinInput().candidates("tian"))
    assert found.index("提案") < found.index("天")
    assert all(len(text) == 1 for text in found[found.index("天") :] if text != "提案")


def test_a_word_for_the_first_syllables_leaves_the_rest_to_type() -> None:
    found = PinyinInput().candidates("wangfang")
    wang = next(c for c in found if c.text == "王")
    assert wang.letters == 4, "王 stands for 'wang'; 'fang' is typed next"
    assert all(c.letters in (3, 4, 8) for c in found), "no cut inside a syllable ('wangf|ang')"
    xi = next(c for c in PinyinInput().candidates("xi'an") if c.text == "西")
    assert xi.letters == 3, "the apostrophe goes with the syllable before it"


def test_only_chinese_words_are_taken_and_each_once() -> None:
    typing = PinyinInput(["Anna Li", "V000000001", "雷彩霞", "雷 彩霞", "", "雷彩霞x"])
    assert texts(typing.candidates("lcx"))[:1] == ["雷彩霞"]
    assert texts(typing.candidates("lcx")).count("雷彩霞") == 1
    assert "Anna Li" not in texts(typing.candidates("a"))


def test_common_characters_only_level_one_first() -> None:
    assert gb2312_level("李") == 1
    assert gb2312_level("亍") == 2
    assert gb2312_level("A") == gb2312_level("𠀀") == gb2312_level("é") == 0
    index = common_index()
    assert all(gb2312_level(ch) for entry in index.entries for ch in entry.text)


def test_typed_text_is_read_as_pinyin_letters() -> None:
    assert typed_letters("Li Xiao'ming") == "lixiao'ming"
    assert typed_letters("''x''i''") == "x'i'"
    assert typed_letters("lü") == "lv"
    assert typed_letters("z" * 100) == "z" * MAX_TYPED_LETTERS
    assert PinyinInput().candidates("") == PinyinInput().candidates("'''") == []
    assert PinyinInput().candidates("li", limit=0) == []


@cache
def readings(ch: str) -> frozenset[str]:
    """Every reading of ``ch`` as pypinyin gives it (toneless, ü as v): the check does not trust the index."""
    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True, v_to_u=False)[0])


def stands_for(typed: str, word: str, completes: bool) -> bool:
    """Whether ``typed`` cuts into one piece per character of ``word``, each a start of one of its readings.

    An apostrophe is a cut; ``completes``: the pieces may cover only the first characters (a known word).
    """

    def cut(pos: int, char: int) -> bool:
        if pos == len(typed):
            return char == len(word) or (completes and char > 0)
        if typed[pos] == "'":
            return char > 0 and cut(pos + 1, char)
        if char == len(word):
            return False
        for end in range(pos + 1, len(typed) + 1):
            piece = typed[pos:end]
            if "'" in piece:
                break
            if any(r.startswith(piece) for r in readings(word[char])) and cut(end, char + 1):
                return True
        return False

    return cut(0, 0)


SYLLABLES = [
    "li",
    "xiao",
    "ming",
    "zhang",
    "wang",
    "shi",
    "an",
    "e",
    "lv",
    "x",
    "zh",
    "m",
    "'",
    "jian",
    "guo",
]
pinyinish = st.lists(st.sampled_from(SYLLABLES), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(typed=st.one_of(st.text(st.characters(max_codepoint=127), max_size=30), pinyinish))
@example(typed="zhzhzhzhzhzhzhzhzhzhzhzhzhzhzh")
@example(typed="nanananananananananananananana")
def test_any_ascii_never_breaks_it_and_every_candidate_stands_for_the_letters_typed(
    typing: PinyinInput, typed: str
) -> None:
    letters = typed_letters(typed)
    found = typing.candidates(typed)
    assert len(found) <= 60 and len({c.text for c in found}) == len(found)
    for candidate in found:
        assert 1 <= candidate.letters <= len(letters)
        known = candidate.text in NAMES or candidate.text in REASONS
        assert stands_for(letters[: candidate.letters], candidate.text, completes=known), (
            f"{candidate.text} offered for {letters[: candidate.letters]!r}"
        )
