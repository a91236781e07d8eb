"""Benchmark the catalogue's Chinese full-text search (not a test): generate, index, time.

Usage (PostgreSQL, a dedicated database that this script creates and fills; never a test DB):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/search_bench.py --entries 20000

or on SQLite (DATABASE_URL=sqlite:///var/bench/search.sqlite3, the default). It generates N
synthetic entries of realistic government Chinese (a weighted vocabulary of government terms,
document numbers, ASCII tokens), rebuilds the search index and prints, in Markdown, the median
warm time of a count, a top-20 by date and a top-20 by relevance for 2-character, 4-character,
rare and absent terms. Existing bench entries are kept unless --fresh; the index is rebuilt.
"""

import argparse
import datetime
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bench' / 'search.sqlite3'}"
BENCH_PREFIX = "BENCH"

# Government vocabulary mixed into jieba's frequent words (see load_vocabulary).
GOVERNMENT = (
    "政务公开 政府信息 主动公开 依申请公开 营商环境 优化营商环境 放管服 一网通办 行政许可 "
    "行政审批 行政处罚 行政复议 规范性文件 备案审查 效能投诉 效能监察 软环境 软环境建设 "
    "行政服务中心 视为同意 公用事业单位 社区卫生服务中心 收费项目 收费标准 行政事业性收费 "
    "投诉举报 随机抽查 双随机一公开 统一社会信用代码 执法人员 权力清单 责任清单 服务承诺 "
    "限时办结 首问负责制 办件 街道办事处 社区居委会 西岗区人民政府 区财政局 区教育局 "
    "区卫生健康局 区市场监管局 区民政局 区人社局 区司法局 区城建局 区生态环境分局 "
    "环境保护 生态环境 安全生产 食品安全 疫情防控 春节 防汛 城市管理 老旧小区 改造 "
    "就业 养老 医疗 教育 住房 保障 补贴 资金 预算 决算 采购 招标 项目 建设 规划 "
    "统计 公报 数据 增长 同比 经济 发展 改革 创新 服务 群众 企业 市民 窗口 审批 "
    "事项 材料 流程 时限 办理 受理 答复 决定 通知 意见 方案 办法 规定 实施 细则 "
    "公告 公示 报告 总结 计划 要点 会议 纪要 监督 检查 考核 评议 整改 问责"
).split()
ASCII = "GDP PM2.5 5G 2024年 12345热线 APP".split()


def load_vocabulary(size: int = 4000) -> tuple[list[str], list[float]]:
    """Jieba's most frequent words (1-4 characters, sqrt-weighted, as in the experiment),
    plus the government terms and ASCII tokens at the weight of a mid-frequency word."""
    import jieba

    words: list[tuple[str, int]] = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as dictionary:
        for line in dictionary:
            word, freq, tag = line.split()
            if len(word) <= 4 and tag not in {"nr", "ns", "nrt", "nrfg"} and word != "旋律":
                words.append((word, int(freq)))
    words.sort(key=lambda item: -item[1])
    top = words[:size]
    weights = [freq**0.5 for _, freq in top]
    middle = sorted(weights)[len(weights) // 2]
    extra = GOVERNMENT + ASCII
    return [w for w, _ in top] + extra, weights + [middle] * len(extra)


RARE_TERM = "审批联席会议"  # planted in 1 entry in 2,000
PUNCTUATION = "，，，。、；"

QUERIES = [
    ("2 chars", "收费"),
    ("2 chars", "投诉"),
    ("2 chars", "环境"),
    ("4 chars", "营商环境"),
    ("4 chars", "行政许可"),
    ("document number", "西政发[2020]12号"),
    ("ASCII", "PM2.5"),
    ("rare", RARE_TERM),
    ("absent", "旋律"),
    ("absent 2 chars across words", "烈话"),
]


VOCABULARY: list[str] = []
CUMULATIVE: list[float] = []


def sentence(rng: random.Random, words: int) -> str:
    picked = rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=words)
    out = []
    for word in picked:
        out.append(word)
        if rng.random() < 0.15:
            out.append(rng.choice(PUNCTUATION))
    return "".join(out)


def prepare_database(url: str) -> None:
    """Create the PostgreSQL database if it is missing; refuse test and CI databases."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if name.startswith("test_") or name in {"gongkai_ci", "gongkai_search"}:
        sys.exit(f"refusing to benchmark in {name!r}: use a dedicated database (gongkai_bench)")
    if url.startswith("postgres"):
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')


def generate(count: int, seed: int, body_words: int) -> float:
    """Insert `count` published entries of one announced publisher with bulk_create."""
    from disclosure.models import AdministrativeEntity, CatalogueEntry

    rng = random.Random(seed)
    vocabulary, weights = load_vocabulary()
    VOCABULARY[:] = vocabulary
    CUMULATIVE[:] = list(itertools.accumulate(weights))
    publisher, _ = AdministrativeEntity.objects.get_or_create(
        name="西岗区基准测试局",
        defaults={
            "kind": AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN,
            "credit_code": "11210203BENCH00001",
            "status": AdministrativeEntity.Status.ANNOUNCED,
            "announcement_start": datetime.date(2006, 7, 1),
            "announcement_end": datetime.date(2006, 7, 15),
        },
    )
    start = CatalogueEntry.objects.filter(index_no__startswith=BENCH_PREFIX).count()
    started = time.perf_counter()
    batch: list[CatalogueEntry] = []
    first_day = datetime.date(2015, 1, 1)
    for number in range(start, start + count):
        published = first_day + datetime.timedelta(days=rng.randrange(3650))
        body = sentence(rng, body_words)
        if rng.random() < 1 / 2000:
            body += RARE_TERM
        document_no = ""
        if rng.random() < 0.3:
            document_no = f"西政发〔{published.year}〕{rng.randrange(1, 200)}号"
        batch.append(
            CatalogueEntry(
                title=sentence(rng, rng.randrange(4, 9)),
                summary=sentence(rng, 20) if rng.random() < 0.5 else "",
                body=f"<p>{body}</p>",
                keywords=" ".join(rng.sample(GOVERNMENT, 3)),
                document_no=document_no,
                publisher=publisher,
                formed_date=published - datetime.timedelta(days=rng.randrange(20)),
                published_date=published,
                status=CatalogueEntry.Status.PUBLISHED,
                index_no=f"{BENCH_PREFIX}/{published.year}-{number:07d}",
            )
        )
        if len(batch) == 2000:
            CatalogueEntry.objects.bulk_create(batch)
            batch = []
    CatalogueEntry.objects.bulk_create(batch)
    return time.perf_counter() - started


def timed(function, repeat: int) -> tuple[float, object]:
    function()  # warm
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def index_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('disclosure_catalogue_search')),"
                " pg_size_pretty(pg_relation_size('disclosure_catalogue_search_gin'))"
            )
            table, gin = cursor.fetchone()
            return f"side table {table} in total, of which GIN index {gin}"
        try:
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'disclosure_catalogue_fts%'"
            )
            return f"FTS5 tables {cursor.fetchone()[0] / 1e6:.1f} MB"
        except Exception:  # dbstat is an optional SQLite module
            return "FTS5 size unknown (no dbstat)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--body-words", type=int, default=300, help="words per body (~2.5 chars)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="delete earlier bench entries")
    parser.add_argument("--skip-index", action="store_true", help="do not rebuild the index")
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    prepare_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from disclosure.models import CatalogueEntry
    from disclosure.search import catalogue_entry_search, search_index_rebuild

    call_command("migrate", verbosity=0)
    if args.fresh:
        CatalogueEntry.objects.filter(index_no__startswith=BENCH_PREFIX).delete()
    have = CatalogueEntry.objects.count()
    generated = 0.0
    if have < args.entries:
        generated = generate(args.entries - have, args.seed, args.body_words)
    total = CatalogueEntry.objects.count()
    chars = sum(
        len(t) + len(b)
        for t, b in CatalogueEntry.objects.values_list("title", "body").iterator(chunk_size=5000)
    )
    started = time.perf_counter()
    if not args.skip_index:
        search_index_rebuild(batch_size=1000)
    indexed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE disclosure_catalogueentry")

    print(f"# Search benchmark: {connection.vendor}, {total:,} entries")
    print()
    print(
        f"- command: `DATABASE_URL={url} .venv/bin/python bench/search_bench.py "
        f"--entries {args.entries}`"
    )
    print(
        f"- generated {max(0, args.entries - have):,} entries in {generated:.1f} s; "
        f"title+body {chars / 1e6:.1f} M characters ({chars / max(total, 1):.0f} per entry)"
    )
    if args.skip_index:
        print(f"- index kept; {index_size()}")
    else:
        rate = chars / indexed / 1000
        print(f"- index rebuilt in {indexed:.1f} s ({rate:.0f} k chars/s); {index_size()}")
    print(f"- median of {args.repeat} warm runs, ms, on `CatalogueEntry.objects.published()`")
    print()
    print("| kind | query | hits | count | top 20 by date | top 20 by relevance |")
    print("|---|---|---|---|---|---|")
    published = CatalogueEntry.objects.published()
    for kind, q in QUERIES:
        count_ms, hits = timed(
            lambda q=q: catalogue_entry_search(published, q, order="none").count(), args.repeat
        )
        date_ms, _ = timed(
            lambda q=q: list(
                catalogue_entry_search(published, q, order="none").order_by(
                    "-published_date", "-id"
                )[:20]
            ),
            args.repeat,
        )
        rank_ms, _ = timed(lambda q=q: list(catalogue_entry_search(published, q)[:20]), args.repeat)
        print(f"| {kind} | {q} | {hits:,} | {count_ms:.1f} | {date_ms:.1f} | {rank_ms:.1f} |")


if __name__ == "__main__":
    main()
