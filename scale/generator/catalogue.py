"""Generated catalogue entries and their search index, written in bulk.

Dates spread over ten years, more in recent years (a portal publishes more each year);
publishers long-tailed (a few bureaus publish most); about 92 % published, 2 % withdrawn,
the rest drafts or in review. Index numbers follow `PREFIX/YYYY-NNNNN` per publisher and
year, continuing each publisher's serial (`IndexNumberSerial` is moved past them, so a
publication through the action afterwards gets the next free number). About 2 % of entries
are issued jointly (联合发文): one or two co-publishers drawn from the same long tail, never
the entry's own publisher, from a generator of their own (the entries are the same with or
without them).
"""

import datetime
import itertools
import random
from collections.abc import Callable

from django.db import connection

from disclosure.models import CatalogueEntry, IndexNumberSerial
from scale.generator.vocabulary import Piece, TextPool
from scale.generator.writer import BulkWriter, next_id

END = datetime.date(2026, 10, 31)
DAYS = 3652
DOCUMENT_PREFIXES = ("西政发", "西政办发", "西政", "大政发", "大政办发", "西教发", "西卫发")
GENRES = [g for g, _ in CatalogueEntry.Genre.choices]
GENRE_WEIGHTS = [4, 1, 1, 0.3, 2, 2, 2, 8, 3, 2, 1, 1, 0.5, 2, 2, 1, 3][: len(GENRES)]
WITHDRAWN_REASON = "该文件已被新文件替代，予以撤回。"
CO_PUBLISHED_SHARE = 0.02  # entries issued jointly with other publishers
TWO_CO_PUBLISHERS_SHARE = 0.25  # of those, the ones with two co-publishers (else one)


def _zipf_cumulative(count: int, exponent: float = 1.1) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def _dates(rng: random.Random, count: int) -> list[datetime.date]:
    """`count` publication dates over ten years, density growing with time, sorted."""
    first = END - datetime.timedelta(days=DAYS - 1)
    offsets = sorted(int(DAYS * rng.random() ** 0.6) for _ in range(count))
    return [first + datetime.timedelta(days=min(o, DAYS - 1)) for o in offsets]


def _co_publishers(
    rng: random.Random,
    publishers: list[tuple[int, str]],
    cumulative: list[float],
    own: int,
) -> list[int]:
    """One or two co-publishers of an entry, drawn as publishers are, other than `own`."""
    wanted = 2 if rng.random() < TWO_CO_PUBLISHERS_SHARE else 1
    wanted = min(wanted, len(publishers) - 1)
    chosen: list[int] = []
    while len(chosen) < wanted:
        publisher_id = rng.choices(publishers, cum_weights=cumulative)[0][0]
        if publisher_id != own and publisher_id not in chosen:
            chosen.append(publisher_id)
    return chosen


def _tokens(*pieces: Piece) -> list[str]:
    return [token for piece in pieces for token in piece.tokens]


class SearchIndexWriter:
    """The catalogue's search index rows, in the backend's own tables (see disclosure.search)."""

    def __init__(self, batch: int = 5000) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.batch = batch
        self.rows: list[tuple] = []

    def add(self, entry_id: int, title: list[str], summary: list[str], body: list[str]) -> None:
        if self.postgres:
            everything = dict.fromkeys(itertools.chain(title, summary, body))
            document = " ".join(f"'{t}'" for t in everything)
            title_document = " ".join(f"'{t}'" for t in dict.fromkeys(title))
            self.rows.append((entry_id, document, title_document))
        else:
            self.rows.append((entry_id, " ".join(title), " ".join(summary), " ".join(body)))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(
                    "COPY disclosure_catalogue_search (entry_id, document, title_document)"
                    " FROM STDIN"
                ) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    "INSERT INTO disclosure_catalogue_fts (rowid, title, summary, body)"
                    " VALUES (%s, %s, %s, %s)",
                    self.rows,
                )
        self.rows = []


def generate(
    count: int,
    *,
    publishers: list[tuple[int, str]],
    topics: list[int],
    pool: TextPool,
    rng: random.Random,
    co_rng: random.Random | None = None,
    progress: Callable[[int], None],
) -> tuple[dict[str, int], int]:
    """Insert `count` entries of these (id, credit code) publishers and index them.

    `co_rng` draws which entries are co-published and by whom (none without it). Returns the
    entries' counts by status and how many entries have co-publishers.
    """
    if not publishers or not count:
        return {}, 0
    writer = BulkWriter(CatalogueEntry, batch=5000)
    index = SearchIndexWriter()
    first = next_id(CatalogueEntry)
    serials = {
        (s.publisher_id, s.year): s.last_value
        for s in IndexNumberSerial.objects.filter(publisher_id__in=[p for p, _ in publishers])
    }
    order = list(publishers)
    rng.shuffle(order)  # which bureau is the busiest is the seed's choice
    cumulative = _zipf_cumulative(len(order))
    statuses: dict[str, int] = {}
    co_published: list[tuple[int, int]] = []  # (entry id, co-publisher id)
    co_published_entries = 0
    for offset, published in enumerate(_dates(rng, count)):
        entry_id = first + offset
        publisher_id, prefix = rng.choices(order, cum_weights=cumulative)[0]
        if co_rng is not None and len(order) > 1 and co_rng.random() < CO_PUBLISHED_SHARE:
            co_published_entries += 1
            co_published.extend(
                (entry_id, other)
                for other in _co_publishers(co_rng, order, cumulative, publisher_id)
            )
        roll = rng.random()
        status = (
            "published"
            if roll < 0.92
            else "withdrawn"
            if roll < 0.94
            else "draft"
            if roll < 0.98
            else "in_review"
        )
        statuses[status] = statuses.get(status, 0) + 1
        listed = status in ("published", "withdrawn")
        index_no = None
        if listed:
            key = (publisher_id, published.year)
            serials[key] = serials.get(key, 0) + 1
            index_no = f"{prefix}/{published.year:04d}-{serials[key]:05d}"
        title = pool.titles[rng.randrange(len(pool.titles))]
        heads = [title]
        document_no = ""
        if rng.random() < 0.3:
            document_no = (
                f"{rng.choice(DOCUMENT_PREFIXES)}〔{published.year}〕{rng.randrange(1, 200)}号"
            )
            heads.append(pool.head_piece(document_no))
        keywords = rng.sample(pool.keywords, rng.randint(0, 3))
        heads.extend(keywords)
        summary, summary_pieces = ("", [])
        if rng.random() < 0.5:
            summary, summary_pieces = pool.sentence(rng, rng.randint(2, 4))
        paragraphs = []
        body_pieces: list[Piece] = []
        for _ in range(rng.randint(2, 5)):
            text, pieces = pool.sentence(rng, rng.randint(4, 12))
            paragraphs.append(f"<p>{text}</p>")
            body_pieces.extend(pieces)
        if rng.random() < 1 / 2000:
            paragraphs.append(f"<p>{pool.rare.text}。</p>")
            body_pieces.append(pool.rare)
        not_disclosed = rng.random() < 0.01
        writer.row(
            id=entry_id,
            index_no=index_no,
            title=title.text,
            summary=summary,
            body="".join(paragraphs),
            publisher_id=publisher_id,
            document_no=document_no,
            formed_date=published - datetime.timedelta(days=rng.randrange(15)),
            published_date=published if listed else None,
            topic_id=rng.choice(topics) if topics and rng.random() < 0.8 else None,
            genre=rng.choices(GENRES, GENRE_WEIGHTS)[0],
            keywords=" ".join(k.text for k in keywords),
            disclosure_mode="not_disclosed" if not_disclosed else "proactive",
            exemption_reason="internal_affairs" if not_disclosed else "",
            art20_item=rng.randint(1, 15) if rng.random() < 0.7 else None,
            validity="in_force" if rng.random() < 0.85 else "expired",
            status=status,
            publication_due=published if listed else None,
            withdrawn_reason=WITHDRAWN_REASON if status == "withdrawn" else "",
            withdrawn_at=(
                datetime.datetime.combine(published, datetime.time(9), tzinfo=datetime.UTC)
                if status == "withdrawn"
                else None
            ),
        )
        index.add(entry_id, _tokens(*heads), _tokens(*summary_pieces), _tokens(*body_pieces))
        progress(1)
    writer.finish()
    _co_publishers_write(co_published)
    index.flush()
    _save_serials(serials)
    return statuses, co_published_entries


def _co_publishers_write(rows: list[tuple[int, int]]) -> None:
    """The co-publisher table's rows, after the entries they refer to (COPY on PostgreSQL)."""
    writer = BulkWriter(CatalogueEntry.co_publishers.through, batch=5000)
    for entry_id, publisher_id in rows:
        writer.row(catalogueentry_id=entry_id, administrativeentity_id=publisher_id)
    writer.finish()


def _save_serials(serials: dict[tuple[int, int], int]) -> None:
    """Move every (publisher, year) serial to the last number handed out."""
    existing = {
        (s.publisher_id, s.year): s
        for s in IndexNumberSerial.objects.filter(publisher_id__in={p for p, _ in serials})
    }
    changed, new = [], []
    for (publisher_id, year), value in serials.items():
        serial = existing.get((publisher_id, year))
        if serial is None:
            new.append(IndexNumberSerial(publisher_id=publisher_id, year=year, last_value=value))
        elif serial.last_value != value:
            serial.last_value = value
            changed.append(serial)
    IndexNumberSerial.objects.bulk_create(new, batch_size=2000)
    IndexNumberSerial.objects.bulk_update(changed, ["last_value"], batch_size=2000)
