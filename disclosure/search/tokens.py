"""Tokens for the catalogue's search index and its queries: jieba words, bigrams, ASCII words.

The same functions feed PostgreSQL (a `tsvector` written as a literal, so PostgreSQL's own
parser never re-splits a token) and SQLite (FTS5 `unicode61`, for which every token here is
one token: only letters and digits, no separators). Both backends therefore see the same
lexemes, and a query matches the same entries on both.

Why jieba search mode: the search experiment (shared/design/search-experiment.md, section 4)
found that jieba's precise cut misses 2-character words inside longer words (数据 in 数据安全:
74.5 % recall) and that search mode (`cut_for_search`, which adds the dictionary's 2- and
3-character sub-words) brings that to 99.8-100 % at +7 % index size, while character bigrams
(100 %, like LIKE) cost three times the index and eight times the build. We use search mode
for every field, plus bigrams for the short fields only (title, document number, keywords),
so any 2-character string of a title matches.
"""

import functools
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    import jieba

GOV_TERMS_PATH = Path(__file__).with_name("gov_terms.txt")

# CJK Unified Ideographs, Extension A and the compatibility block: what jieba segments.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
# 文号: 西政发〔2006〕12号, with any of the brackets officials type (NFKC has already turned
# ［］ and （） into [] and ()).
_DOCUMENT_NO = re.compile(
    rf"(?P<prefix>[{_CJK}]{{0,12}})\s*[〔\[(【〖{{]\s*(?P<year>\d{{4}})\s*[〕\])】〗}}]"
    r"\s*第?\s*(?P<serial>\d{1,6})\s*号"
)
# Control and format characters (NUL included, which PostgreSQL refuses in text).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")

# A word longer than this is not language (base64, hashes, runs of digits): not indexed.
MAX_TOKEN_LENGTH = 40
# The longest issuing-authority prefix kept in a document number's canonical token.
_MAX_DOCUMENT_PREFIX = 8

_lock = threading.Lock()
_tokenizer: "jieba.Tokenizer | None" = None


def jieba_tokenizer() -> "jieba.Tokenizer":
    """Return this process's own jieba Tokenizer, loaded once with the government terms.

    A private `jieba.Tokenizer` instance, not jieba's module-level one, so that adding the
    user dictionary changes nothing for other code. Its dictionary cache is written under
    VAR_DIR (not the repository, not a shared /tmp file), and its DEBUG chatter is silenced.
    Loading takes about 0.6 s with the cache, 3 s without.
    """
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba  # lazily: it costs ~0.1 s

            logging.getLogger("jieba").setLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            cache_dir = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "cache" / "jieba"
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                tokenizer.tmp_dir = str(cache_dir)
            except OSError:
                # Read-only VAR_DIR: jieba logs that it cannot write the cache and goes on.
                tokenizer.tmp_dir = str(cache_dir)
            with GOV_TERMS_PATH.open("rb") as terms:
                tokenizer.load_userdict(terms)  # initialises the main dictionary first
            _tokenizer = tokenizer
    return _tokenizer


def normalize(text: str) -> str:
    """Fold text for matching: NFKC (full-width → ASCII), lower case, no control characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub(" ", text)
    return _SPACES.sub(" ", text).strip().lower()


def strip_markup(html: str) -> str:
    """The text of sanitised rich text (the body): tags dropped, entities decoded."""
    import html as html_module

    return html_module.unescape(_TAG.sub(" ", html))


def _document_number_tokens(match: re.Match[str], *, all_prefixes: bool) -> list[str]:
    """Canonical tokens of a document number: 西政发〔2006〕12号 → 西政发200612号.

    The year always has four digits, so prefix+year+serial is unambiguous. The index gets the
    number with every tail of its prefix (the regex cannot tell 根据西政发 from 西政发), so a
    query for 西政发〔2006〕12号 or 〔2006〕12号 finds it; a query uses its own whole prefix.
    """
    prefix = match["prefix"][-_MAX_DOCUMENT_PREFIX:]
    number = f"{match['year']}{int(match['serial'])}号"
    if not all_prefixes:
        return [f"{prefix}{number}"]
    return [f"{prefix[start:]}{number}" for start in range(len(prefix) + 1)]


def _cjk_tokens(runs: list[str], *, search_mode: bool, bigrams: bool) -> list[str]:
    """Tokens of runs of Chinese characters (one jieba call for all of them: it is faster).

    Precise cut (HMM off: unknown words stay single characters, predictably on both sides),
    then, in search mode, every dictionary word inside a longer word (jieba's `cut_for_search`
    adds only the 2- and 3-character ones). A stretch of single characters, i.e. no dictionary
    word, becomes its bigrams on both the index and the query side, so the same string matches
    itself. With `bigrams`, every bigram of every run is added too.
    """
    if not runs:
        return []
    tokens: list[str] = []
    singles: list[str] = []
    for word in jieba_tokenizer().cut("\n".join(runs), HMM=False):
        if len(word) == 1:
            if word == "\n":  # the end of a run
                tokens.extend(_singles_tokens(singles))
                singles = []
            else:
                singles.append(word)
            continue
        tokens.extend(_singles_tokens(singles))
        singles = []
        if search_mode and len(word) > 2:
            tokens.extend(_subwords(word))
        tokens.append(word)
    tokens.extend(_singles_tokens(singles))
    if bigrams:
        for run in runs:
            if len(run) > 2:
                tokens.extend(run[start : start + 2] for start in range(len(run) - 1))
    return tokens


@functools.lru_cache(maxsize=65536)
def _subwords(word: str) -> tuple[str, ...]:
    """Every dictionary word inside `word`, of any length.

    jieba's cut_for_search stops at 3 characters, so 优化营商环境 (a user-dictionary word)
    would hide 营商环境.
    """
    freq = jieba_tokenizer().FREQ
    return tuple(
        word[start : start + size]
        for size in range(2, len(word))
        for start in range(len(word) - size + 1)
        if freq.get(word[start : start + size])
    )


def _singles_tokens(singles: list[str]) -> list[str]:
    if len(singles) <= 1:
        return singles
    joined = "".join(singles)
    return [joined[start : start + 2] for start in range(len(joined) - 1)]


def index_tokens(text: str, *, bigrams: bool = False) -> list[str]:
    """Tokens of one field for the index: Chinese first, then other words; duplicates kept.

    `bigrams` adds every CJK character bigram (for short fields: title, document number,
    keywords), so that any 2-character substring of a title is found.
    """
    text = normalize(text)
    tokens: list[str] = []
    for match in _DOCUMENT_NO.finditer(text):
        tokens.extend(_document_number_tokens(match, all_prefixes=True))
    runs: list[str] = []
    words: list[str] = []
    for match in _RUN.finditer(text):
        if match["cjk"]:
            runs.append(match["cjk"])
        elif len(match["word"]) <= MAX_TOKEN_LENGTH:
            words.append(match["word"])
    tokens.extend(_cjk_tokens(runs, search_mode=True, bigrams=bigrams))
    tokens.extend(words)
    return tokens


@dataclass(frozen=True)
class QueryTerm:
    """One term of a query: matches a lexeme exactly or, if `prefix`, any lexeme it begins."""

    text: str
    prefix: bool = False


def query_terms(text: str) -> list[QueryTerm]:
    """The terms a (normalised) query is an AND of, without duplicates, in query order.

    Precise cut (not search mode: the index holds the sub-words, the query needs only the
    word). A lone single character that is not part of a word (税, 号) becomes a prefix term,
    since the index holds it only where jieba left it alone. A document number becomes its
    canonical token, with its prefix as typed.
    """
    terms: list[QueryTerm] = []
    rest = text
    for match in _DOCUMENT_NO.finditer(text):
        terms.extend(QueryTerm(t) for t in _document_number_tokens(match, all_prefixes=False))
    rest = _DOCUMENT_NO.sub(" ", text)
    for match in _RUN.finditer(rest):
        if match["cjk"]:
            for token in _cjk_tokens([match["cjk"]], search_mode=False, bigrams=False):
                prefix = len(token) == 1 and bool(_CJK_CHAR.match(token))
                terms.append(QueryTerm(token, prefix=prefix))
        elif len(match["word"]) <= MAX_TOKEN_LENGTH:
            terms.append(QueryTerm(match["word"]))
    return list(dict.fromkeys(terms))
