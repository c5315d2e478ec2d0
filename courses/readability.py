"""Reading-level measures for lesson text, used to check that a lesson's younger and older
versions really read differently (issue 17).

English: the Flesch-Kincaid grade level, with syllables counted by a vowel-group rule (close to
dictionary counts for the plain words lessons use; no word list needed).
Chinese: no grade formula is standard, so two plain measures that track difficulty: the mean
sentence length in Han characters and the share of sentences longer than 25 characters.
"""

import html
import re
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_EN_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|[\n\r]+|[:;](?=\s)")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ZH_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
LONG_ZH_SENTENCE = 25


def plain_text(markup: str) -> str:
    """Text without tags or entities, block tags read as sentence breaks."""
    markup = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", markup or "")
    return html.unescape(_TAG.sub(" ", markup))


def syllables(word: str) -> int:
    word = word.lower().replace("’", "'")
    if len(word) <= 3:
        return 1
    word = re.sub(r"'s$", "", word)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    elif word.endswith(("es", "ed")) and not word.endswith(("ted", "ded", "ses", "ces", "zes", "ges")):
        word = word[:-2]
    return max(1, len(_VOWEL_GROUP.findall(word)))


def _english_sentences(text: str) -> list[str]:
    return [part for part in _EN_SENTENCE_END.split(text) if _WORD.search(part)]


@dataclass(frozen=True)
class EnglishLevel:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level (0 for no text)."""
        if not self.words:
            return 0.0
        return round(0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 1)


def english_level(text: str) -> EnglishLevel:
    text = plain_text(text)
    words = _WORD.findall(text)
    sentences = max(1, len(_english_sentences(text)))
    return EnglishLevel(len(words), sentences, sum(syllables(w) for w in words))


@dataclass(frozen=True)
class ChineseLevel:
    characters: int
    sentence_lengths: tuple[int, ...]

    @property
    def mean_sentence(self) -> float:
        """Mean sentence length in Han characters (0 for no text)."""
        if not self.sentence_lengths:
            return 0.0
        return round(sum(self.sentence_lengths) / len(self.sentence_lengths), 1)

    @property
    def long_share(self) -> float:
        """Share (0-1) of sentences longer than LONG_ZH_SENTENCE characters."""
        if not self.sentence_lengths:
            return 0.0
        return round(sum(n > LONG_ZH_SENTENCE for n in self.sentence_lengths) / len(self.sentence_lengths), 2)


def chinese_level(text: str) -> ChineseLevel:
    lengths = []
    for sentence in _ZH_SENTENCE_END.split(plain_text(text)):
        count = len(_HAN.findall(sentence))
        if count:
            lengths.append(count)
    return ChineseLevel(sum(lengths), tuple(lengths))
