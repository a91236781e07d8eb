"""Government Chinese for generated records: words, clauses, titles, and their index tokens.

The vocabulary is jieba's most frequent words (1-4 characters, square-root weighted, as in
the search experiment), the government terms of the search index's user dictionary
(`disclosure/search/gov_terms.txt`) and the search benchmark's government words, plus a few
ASCII tokens (GDP, PM2.5 …). Text is built from a pool of *clauses* (2-6 words, no
punctuation inside) joined by Chinese punctuation. The search index cuts text into runs of
Chinese characters at every punctuation mark and tokenises each run on its own, so the
tokens of a body are exactly the tokens of its clauses: each clause is tokenised once, with
the index's own function, and a million bodies are indexed without running jieba a million
times (tests/scale/test_generate.py checks the equality against `EntryTokens.from_row`).
"""

import functools
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from disclosure.search.tokens import GOV_TERMS_PATH, index_tokens
from scale.generator.seeds import seeded

# The search benchmark's government words (bench/search_bench.py), kept in step by hand.
GOVERNMENT_WORDS = (
    "政务公开 政府信息 主动公开 依申请公开 营商环境 优化营商环境 放管服 一网通办 行政许可 "
    "行政审批 行政处罚 行政复议 规范性文件 备案审查 效能投诉 效能监察 软环境 软环境建设 "
    "行政服务中心 视为同意 公用事业单位 社区卫生服务中心 收费项目 收费标准 行政事业性收费 "
    "投诉举报 随机抽查 双随机一公开 统一社会信用代码 执法人员 权力清单 责任清单 服务承诺 "
    "限时办结 首问负责制 办件 街道办事处 社区居委会 环境保护 生态环境 安全生产 食品安全 "
    "疫情防控 春节 防汛 城市管理 老旧小区 改造 就业 养老 医疗 教育 住房 保障 补贴 资金 "
    "预算 决算 采购 招标 项目 建设 规划 统计 公报 数据 增长 同比 经济 发展 改革 创新 "
    "服务 群众 企业 市民 窗口 审批 事项 材料 流程 时限 办理 受理 答复 决定 通知 意见 "
    "方案 办法 规定 实施 细则 公告 公示 报告 总结 计划 要点 会议 纪要 监督 检查 考核 "
    "评议 整改 问责"
).split()
ASCII_WORDS = ("GDP", "PM2.5", "5G", "12345热线", "APP")
# Never generated: the search tests use it as a word that is absent.
ABSENT_WORD = "旋律"
# Planted in about one body in 2,000: a rare word for the search figures.
RARE_WORD = "审批联席会议"
PUNCTUATION = "，，，，。。；、"
GENRE_WORDS = ("通知", "意见", "办法", "规定", "公告", "决定", "方案", "报告", "批复", "通告")
TITLE_VERBS = ("关于", "关于印发", "关于做好", "关于进一步加强", "关于开展", "关于公布")


def _gov_terms() -> list[str]:
    words = []
    for line in Path(GOV_TERMS_PATH).read_text(encoding="utf-8").splitlines():
        word = line.split()[0] if line.strip() else ""
        if word and not word.startswith("#"):
            words.append(word)
    return words


@functools.cache
def vocabulary(size: int = 4000) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Words and their cumulative weights: jieba's frequent words and the government terms.

    Government terms and ASCII tokens weigh as much as a mid-frequency word, so that 营商环境
    or 行政许可 occur in a few per cent of entries, as on a real portal.
    """
    import jieba

    words: list[tuple[str, int]] = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as dictionary:
        for line in dictionary:
            word, freq, tag = line.split()
            if len(word) <= 4 and tag not in {"nr", "ns", "nrt", "nrfg"} and word != ABSENT_WORD:
                words.append((word, int(freq)))
    words.sort(key=lambda item: (-item[1], item[0]))
    top = words[:size]
    weights = [freq**0.5 for _, freq in top]
    middle = sorted(weights)[len(weights) // 2]
    extra = list(dict.fromkeys([*GOVERNMENT_WORDS, *_gov_terms(), *ASCII_WORDS]))
    extra = [word for word in extra if word not in {w for w, _ in top}]
    all_words = tuple([w for w, _ in top] + extra)
    all_weights = weights + [middle * 2] * len(extra)
    return all_words, tuple(itertools.accumulate(all_weights))


@dataclass(frozen=True)
class Piece:
    """A stretch of text and its index tokens (already quoted as tsvector lexemes)."""

    text: str
    tokens: tuple[str, ...]


def _piece(text: str, *, bigrams: bool = False) -> Piece:
    return Piece(text, tuple(index_tokens(text, bigrams=bigrams)))


class TextPool:
    """Clauses, titles, summaries and keywords, each tokenised once by the index's tokenizer."""

    def __init__(self, seed: int, *, clauses: int = 12000, titles: int = 6000) -> None:
        rng = seeded(seed, "text")
        words, cumulative = vocabulary()
        self.words = words
        self._cumulative = cumulative
        self.clauses = [
            _piece("".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(2, 6))))
            for _ in range(clauses)
        ]
        self.rare = _piece(RARE_WORD)
        self.titles = []
        gov = [w for w in dict.fromkeys([*GOVERNMENT_WORDS, *_gov_terms()]) if len(w) >= 2]
        self.gov_terms = gov
        for _ in range(titles):
            middle = "".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(1, 3)))
            subject = rng.choice(gov) if rng.random() < 0.6 else ""
            text = f"{rng.choice(TITLE_VERBS)}{subject}{middle}的{rng.choice(GENRE_WORDS)}"
            self.titles.append(_piece(text[:120], bigrams=True))
        self.keywords = [_piece(word, bigrams=True) for word in gov]

    @staticmethod
    @functools.lru_cache(maxsize=200_000)
    def head_piece(text: str) -> Piece:
        """A short title field (document number, an entity's name) with bigrams, cached."""
        return _piece(text, bigrams=True)

    def sentence(self, rng: random.Random, clauses: int) -> tuple[str, list[Piece]]:
        """Text of `clauses` clauses joined by punctuation, and the clauses used."""
        picked = rng.choices(self.clauses, k=clauses)
        marks = rng.choices(PUNCTUATION, k=clauses)
        text = "".join([f"{piece.text}{mark}" for piece, mark in zip(picked, marks, strict=True)])
        return text, picked


@functools.lru_cache(maxsize=4)
def text_pool(seed: int) -> TextPool:
    """The pool of a seed, built once per process (tokenising it takes a few seconds)."""
    return TextPool(seed)
