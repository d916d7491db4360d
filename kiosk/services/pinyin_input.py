"""Chinese text from typed pinyin, offline: what the touch keyboard's candidate bar offers.

Typed letters (``lcx``, ``li``, ``lixiao``, ``xi'an``) become candidates,
best first. A candidate stands for the first :attr:`Candidate.letters` typed
letters: those letters split into one piece per character, each piece the
start of one of the character's readings (no tones; ü is typed ``v``). So
full pinyin (``lixiaoming``: li|xiao|ming), initials (``lxm``) and any mix
(``lixm``) find 李晓明; an apostrophe forces a split (``xi'an``).

The common index (:func:`common_index`) is built once, lazily, from
pypinyin's own data: the characters of GB2312 (level 1, the 3,755 most
common, then level 2) with every reading ``pypinyin.pinyin_dict`` gives,
and the phrases of ``pypinyin.phrases_dict`` of 2 to 4 such characters.
pypinyin has no frequencies; a character is ranked by its GB2312 level,
then by how many of those phrases use it, a phrase by its rarest
character. The caller's words (:class:`PinyinInput`: the volunteers'
names, the common reasons) come first, in the caller's order, and are
also offered before they are typed out (``lixiao`` offers 李晓明).

Order of the candidates: those that stand for all the letters typed come
first (the caller's words, then phrases, then characters), then those that
stand for fewer (longest first); within each, the ones typed as whole
syllables before abbreviations, then by rank. Build and lookup times are in
``docs/performance.md`` (``python bench/pinyin_input.py``).
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product
from typing import NamedTuple

MAX_PHRASE_CHARS = 4  # the common index: idioms are 4; longer phrases are rare to type
MAX_WORD_CHARS = 12  # the caller's words: a reason may be a short sentence
MAX_TYPED_LETTERS = 40  # what is looked at of the typed text; a longer pinyin is not one word
MAX_PIECE_LETTERS = 6  # the longest syllable: zhuang, chuang, shuang
MAX_INITIAL_SETS = 64  # readings of a caller's word: combinations of initials kept at most
DEFAULT_LIMIT = 60

_GB2312_LEVEL_1 = range(0xB0, 0xD8)  # first byte of a level-1 character (by pinyin)
_GB2312_LEVEL_2 = range(0xD8, 0xF8)  # level 2 (by radical)
_NOT_TYPED = re.compile("[^a-z']+")
_APOSTROPHES = re.compile("'+")
_DOUBLE_INITIALS = frozenset({"zh", "ch", "sh"})

# Groups, best first.
_CALLER, _PHRASE, _CHARACTER = 0, 1, 2

Readings = tuple[tuple[str, ...], ...]
"""Per character of a word, its readings without tones (ü as ``v``)."""


@dataclass(frozen=True)
class Candidate:
    """A word offered for the typed letters: it stands for the first ``letters`` of them."""

    text: str
    letters: int  # how many characters of the typed text (apostrophes included) it replaces


class _Entry(NamedTuple):
    text: str
    readings: Readings
    group: int
    rank: int  # lower is better, within the group


@lru_cache(maxsize=4096)
def toneless(reading: str) -> str:
    """``lǚ`` → ``lv``, ``zhāng`` → ``zhang``: a reading as typed on a keyboard ("" if it has no letters)."""
    decomposed = unicodedata.normalize("NFD", reading.lower()).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def typed_letters(text: str) -> str:
    """What of ``text`` is pinyin: lower-case letters, ü as ``v``, apostrophes only between letters.

    Everything else is dropped, and at most :data:`MAX_TYPED_LETTERS` are kept;
    :attr:`Candidate.letters` counts in this text.
    """
    kept = _NOT_TYPED.sub("", text.lower().replace("ü", "v"))
    return _APOSTROPHES.sub("'", kept).lstrip("'")[:MAX_TYPED_LETTERS]


def gb2312_level(ch: str) -> int:
    """1 or 2 for a Chinese character of GB2312's level 1 or 2; 0 for anything else."""
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if len(encoded) != 2:
        return 0
    if encoded[0] in _GB2312_LEVEL_1:
        return 1
    return 2 if encoded[0] in _GB2312_LEVEL_2 else 0


def gb2312_characters() -> Iterator[tuple[str, int]]:
    """Every Chinese character of GB2312 with its level (1, then 2), in GB2312's order."""
    for level, rows in ((1, _GB2312_LEVEL_1), (2, _GB2312_LEVEL_2)):
        for first in rows:
            for second in range(0xA1, 0xFF):
                try:
                    yield bytes((first, second)).decode("gb2312"), level
                except UnicodeDecodeError:
                    continue  # the five unused places at the end of level 1


class PinyinIndex:
    """Words by the initials of their readings, then by their first character's reading; not changed once built."""

    def __init__(self, entries: Iterable[_Entry], *, completions: bool = False) -> None:
        self.entries = list(entries)
        # initials ("lxm") -> first character's reading ("li") -> entries
        self.by_initials: dict[str, dict[str, list[int]]] = {}
        # for the caller's words: a start of the initials ("lx") -> first reading -> entries
        self.completions: dict[str, dict[str, list[int]]] | None = {} if completions else None
        self.syllables: set[str] = set()
        self.longest = max((len(e.readings) for e in self.entries), default=0)
        for index, entry in enumerate(self.entries):
            self._add(index, entry.readings)
        self.prefixes = {key[:end] for key in self.by_initials for end in range(1, len(key) + 1)}
        self.syllable_starts = {s[:end] for s in self.syllables for end in range(1, len(s) + 1)}

    def _add(self, index: int, readings: Readings) -> None:
        if len(readings) == sum(map(len, readings)):  # most words: one reading per character
            only = [each[0] for each in readings]
            self.syllables.update(only)
            if self.completions is None:  # the common index: the quick way
                key = "".join([reading[0] for reading in only])
                self.by_initials.setdefault(key, {}).setdefault(only[0], []).append(index)
                return
            keys = ["".join([reading[0] for reading in only])]
        else:
            for each in readings:
                self.syllables.update(each)
            firsts = [sorted({r[0] for r in each}) for each in readings]
            keys = ["".join(letters) for letters in islice(product(*firsts), MAX_INITIAL_SETS)]
        for key in keys:
            for first in readings[0]:
                if first[0] == key[0]:
                    self.by_initials.setdefault(key, {}).setdefault(first, []).append(index)
                    if self.completions is not None:
                        for end in range(1, len(key)):
                            self.completions.setdefault(key[:end], {}).setdefault(first, []).append(index)


def _loose(pieces: list[str], open_end: bool) -> list[bool]:
    """Per piece: whether it may be any start of its reading (an initial; the last piece typed in part)."""
    last = len(pieces) - 1
    return [len(p) == 1 or p in _DOUBLE_INITIALS or (open_end and i == last) for i, p in enumerate(pieces)]


def _fits(piece: str, readings: tuple[str, ...], loose: bool) -> bool:
    """Whether ``piece`` stands for one of ``readings``: all of it, or (``loose``) any start of it."""
    return any(reading == piece or (loose and reading.startswith(piece)) for reading in readings)


def _not_whole(readings: Readings, pieces: list[str]) -> int:
    """How many pieces are not a whole reading of their character (initials rank below full pinyin)."""
    return sum(piece not in readings[i] for i, piece in enumerate(pieces))


_Found = dict[str, tuple[tuple[int, ...], Candidate]]  # text -> (sort key, candidate)


def _keep(found: _Found, key: tuple[int, ...], candidate: Candidate) -> None:
    old = found.get(candidate.text)
    if old is None or key < old[0]:
        found[candidate.text] = (key, candidate)


def _sort_key(entry: _Entry, pieces: list[str], letters: int, full: bool, extra: int = 0) -> tuple[int, ...]:
    quality = extra + _not_whole(entry.readings, pieces)
    caller = 0 if entry.group == _CALLER else 1
    if full:
        return (0, 0, caller, quality, entry.group, entry.rank)
    return (1, -letters, caller, quality, entry.group, entry.rank)


def syllable_cuts(typed: str, syllables: set[str], starts: set[str]) -> set[int]:
    """Where the typed letters split into syllables, the longest first (``wangfang``: 4 and 8, not ``wang|fa|ng``).

    A word that stands for only the first letters must end at one of these
    places; the rest is typed on. Letters no whole syllable fits are taken
    as initials or a syllable typed in part (``lcx``: 1, 2 and 3). Empty when
    the letters cannot be split at all.
    """
    memo: dict[int, list[int] | None] = {}

    def split(pos: int) -> list[int] | None:
        if pos >= len(typed):
            return []
        if pos in memo:
            return memo[pos]
        found: list[int] | None = None
        if typed[pos] == "'":
            rest = split(pos + 1)
            found = None if rest is None else [pos + 1, *rest]
        else:
            longest = min(len(typed), pos + MAX_PIECE_LETTERS)
            for pieces in (syllables, starts):  # whole syllables, else a start of one
                for end in range(longest, pos, -1):
                    piece = typed[pos:end]
                    rest = split(end) if "'" not in piece and piece in pieces else None
                    if rest is not None:
                        found = [end, *rest]
                        break
                if found is not None:
                    break
        memo[pos] = found
        return found

    return set(split(0) or ())


class _Search:
    """One lookup of typed letters in one index: a walk over the ways to cut the letters into pieces."""

    def __init__(
        self, index: PinyinIndex, typed: str, starts: set[str], cuts: set[int], found: _Found, limit: int
    ) -> None:
        self.index, self.typed, self.starts, self.cuts, self.found = index, typed, starts, cuts, found
        self.limit = limit

    def run(self) -> None:
        self._visit(0, "", [])

    def _visit(self, pos: int, initials: str, pieces: list[str]) -> None:
        typed, index = self.typed, self.index
        if pos >= len(typed):
            if index.completions is not None and pieces:
                self._gather(index.completions.get(initials, {}), pieces, len(typed), completing=True)
            return
        if len(pieces) == index.longest:
            return
        for stop in range(pos + 1, min(len(typed), pos + MAX_PIECE_LETTERS) + 1):
            piece = typed[pos:stop]
            if piece[-1] == "'" or piece not in self.starts:
                break
            key = initials + piece[0]
            if key not in index.prefixes:
                break
            chosen = [*pieces, piece]
            after = stop + 1 if stop < len(typed) and typed[stop] == "'" else stop
            words = index.by_initials.get(key)
            if words is not None and (after >= len(typed) or after in self.cuts):
                self._gather(words, chosen, after, completing=False)
            if piece in index.syllables or len(piece) == 1 or piece in _DOUBLE_INITIALS:
                self._visit(after, key, chosen)  # a piece cut inside a syllable can only be the last

    def _gather(self, words: dict[str, list[int]], pieces: list[str], letters: int, completing: bool) -> None:
        """The words (by first reading) the pieces stand for, as candidates for the first ``letters``."""
        full = letters >= len(self.typed)
        loose = _loose(pieces, full)
        if completing:
            loose[-1] = True
        first, rest = pieces[0], list(enumerate(pieces))[1:]
        entries = self.index.entries
        for reading, ids in words.items():
            if not (reading == first or (loose[0] and reading.startswith(first))):
                continue
            kept = 0
            for i in ids:
                entry = entries[i]
                if all(_fits(piece, entry.readings[n], loose[n]) for n, piece in rest):
                    key = _sort_key(entry, pieces, letters, full, extra=1 if completing else 0)
                    _keep(self.found, key, Candidate(entry.text, letters))
                    kept += 1
                    if completing and kept == self.limit:
                        break  # the caller's words are in their order: the later ones would not be shown


def _common_entries() -> Iterator[_Entry]:
    from pypinyin.phrases_dict import phrases_dict  # about 0.15 s to import, with pypinyin
    from pypinyin.pinyin_dict import pinyin_dict

    chars: dict[str, tuple[str, ...]] = {}
    levels: dict[str, int] = {}
    for ch, level in gb2312_characters():
        toned = pinyin_dict.get(ord(ch))
        plain = tuple(dict.fromkeys(r for r in map(toneless, toned.split(",")) if r)) if toned else ()
        if plain:
            chars[ch], levels[ch] = plain, level
    known = chars.keys()
    uses = dict.fromkeys(chars, 0)
    single: dict[str, tuple[str]] = {}  # a toned reading -> (toneless,): about 1,500, used 100,000 times
    phrases: list[tuple[str, Readings]] = []
    for phrase, phrase_readings in phrases_dict.items():
        if not 2 <= len(phrase) <= MAX_PHRASE_CHARS or len(phrase_readings) != len(phrase):
            continue
        if not known >= set(phrase):
            continue
        per_char: list[tuple[str, ...]] = []
        for each in phrase_readings:
            if len(each) == 1:
                one = single.get(each[0])
                if one is None:
                    one = single[each[0]] = (toneless(each[0]),)
                per_char.append(one)
            else:
                per_char.append(tuple(dict.fromkeys(map(toneless, each))))
        if all([r[0] for r in per_char]):
            phrases.append((phrase, tuple(per_char)))
            for ch in phrase:
                uses[ch] += 1

    def rank(ch: str, primary: bool = True) -> int:
        # Level 1 before level 2; a character's first reading before its others; then by use in phrases.
        tier = (levels[ch] - 1) * 2 + (0 if primary else 1)
        return tier * 100_000 - min(uses[ch], 99_999)

    ranks = {ch: rank(ch) for ch in chars}
    for phrase, readings in phrases:
        yield _Entry(phrase, readings, _PHRASE, max(map(ranks.__getitem__, phrase)))
    for ch, char_readings in chars.items():
        for i, reading in enumerate(char_readings):
            yield _Entry(ch, ((reading,),), _CHARACTER, ranks[ch] if i == 0 else rank(ch, False))


@lru_cache(maxsize=1)
def common_index() -> PinyinIndex:
    """The index of common characters and phrases, built on first use (see the module docstring).

    The index and pypinyin's tables are some 300,000 objects that live as
    long as the process; they are moved out of the garbage collector's
    sight (``gc.freeze``), or every full collection would walk them: a
    40 ms pause in the middle of typing.
    """
    index = PinyinIndex(_common_entries())
    gc.collect()  # nothing that is garbage now is frozen with them
    gc.freeze()
    return index


def word_readings(word: str) -> Readings | None:
    """Every reading of each character of ``word``; None if a character has none (not Chinese)."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    phrase = phrases_dict.get(word)
    readings: list[tuple[str, ...]] = []
    for i, ch in enumerate(word):
        known = pinyin_dict.get(ord(ch))
        if known is None:
            return None
        first = [toneless(r) for r in phrase[i]] if phrase and len(phrase) == len(word) else []
        plain = tuple(dict.fromkeys(r for r in [*first, *map(toneless, known.split(","))] if r))
        if not plain:
            return None
        readings.append(plain)
    return tuple(readings)


class PinyinInput:
    """Candidates for typed pinyin from the common index and the caller's words (ranked first).

    The common index is built on the first lookup (:func:`common_index`,
    shared by every instance); the caller's words each time they are set.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words = PinyinIndex((), completions=True)
        self.set_words(words)

    def set_words(self, words: Iterable[str]) -> None:
        """The caller's words, best first; words with anything but Chinese characters are left out."""
        entries: list[_Entry] = []
        seen: set[str] = set()
        for word in words:
            text = "".join(word.split())
            if not text or text in seen or len(text) > MAX_WORD_CHARS:
                continue
            readings = word_readings(text)
            if readings is not None:
                seen.add(text)
                entries.append(_Entry(text, readings, _CALLER, len(entries)))
        self._words = PinyinIndex(entries, completions=True)

    def candidates(self, typed: str, limit: int = DEFAULT_LIMIT) -> list[Candidate]:
        """The candidates for ``typed``, best first (at most ``limit``); [] when nothing fits.

        ``typed`` is read as :func:`typed_letters` reads it; any text is taken and none raises.
        """
        letters = typed_letters(typed)
        if not letters.strip("'") or limit <= 0:
            return []
        common = common_index()
        starts = common.syllable_starts | self._words.syllable_starts
        found: _Found = {}
        cuts = syllable_cuts(letters, common.syllables | self._words.syllables, starts)
        _Search(self._words, letters, starts, cuts, found, limit).run()
        _Search(common, letters, starts, cuts, found, limit).run()
        ranked = sorted(found.values(), key=lambda item: (item[0], item[1].text))
        return [candidate for _key, candidate in ranked[:limit]]
