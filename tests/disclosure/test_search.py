"""Chinese full-text search over the catalogue (disclosure.search), on SQLite and PostgreSQL."""

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.utils import translation

from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.search import (
    MAX_QUERY_LENGTH,
    SearchQueryError,
    catalogue_entry_search,
    search_index_rebuild,
    search_index_remove,
    search_index_update,
)
from disclosure.search.tokens import index_tokens, normalize, query_terms

pytestmark = pytest.mark.django_db

METACHARACTERS = "%_'\";--\\.*+?()[]{}|^$"
_serial = itertools.count(1)


@pytest.fixture
def publisher() -> AdministrativeEntity:
    return AdministrativeEntity.objects.create(
        name="西岗区搜索测试局",
        kind=AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN,
        credit_code="11210203SEARCH0001",
        status=AdministrativeEntity.Status.ANNOUNCED,
        announcement_start=datetime.date(2006, 7, 1),
        announcement_end=datetime.date(2006, 7, 15),
    )


@pytest.fixture
def make_entry(publisher: AdministrativeEntity):
    """Create an entry (published unless told otherwise) and index it, as the actions do."""

    def make(title: str, *, index: bool = True, **fields: object) -> CatalogueEntry:
        serial = next(_serial)
        fields.setdefault("status", CatalogueEntry.Status.PUBLISHED)
        if fields["status"] == CatalogueEntry.Status.PUBLISHED:
            fields.setdefault("index_no", f"SEARCHTEST/2024-{serial:05d}")
        fields.setdefault("published_date", datetime.date(2024, 1, 1))
        entry = CatalogueEntry.objects.create(
            title=title,
            publisher=publisher,
            formed_date=datetime.date(2023, 12, 1),
            **fields,
        )
        if index:
            search_index_update([entry.pk])
        return entry

    return make


def search(q: str, **kwargs: object) -> list[CatalogueEntry]:
    return list(catalogue_entry_search(CatalogueEntry.objects.all(), q, **kwargs))


def titles(q: str) -> set[str]:
    return {entry.title for entry in search(q)}


# --- Chinese words -----------------------------------------------------------------------------


def test_two_character_words_are_found_inside_longer_words(make_entry) -> None:
    # given
    make_entry("关于公布收费项目标准的通知")
    make_entry("效能投诉举报电话", body="<p>受理群众投诉举报。</p>")
    make_entry("社区卫生服务中心名录")
    # when / then
    assert titles("收费") == {"关于公布收费项目标准的通知"}
    assert titles("投诉") == {"效能投诉举报电话"}


def test_two_character_word_in_the_body_or_summary_is_found(make_entry) -> None:
    make_entry("通知一", body="<p>各单位要严格执行<strong>收费项目标准</strong>。</p>")
    make_entry("通知二", summary="市民可以通过热线投诉举报。")
    make_entry("通知三", body="<p>做好春节期间安全工作。</p>")

    assert titles("收费") == {"通知一"}
    assert titles("投诉") == {"通知二"}


def test_four_character_government_term(make_entry) -> None:
    make_entry("关于进一步优化营商环境的意见")
    make_entry("年度工作总结", body="持续优化营商环境，推进放管服改革和一网通办。")
    make_entry("环境保护工作要点", body="改善生态环境。")

    assert titles("营商环境") == {"关于进一步优化营商环境的意见", "年度工作总结"}
    assert titles("放管服") == {"年度工作总结"}
    assert titles("一网通办") == {"年度工作总结"}


def test_any_two_characters_of_a_title_are_found(make_entry) -> None:
    # 烈话 straddles two words (激烈 | 话题): search mode alone misses it, title bigrams do not.
    make_entry("激烈话题讨论会纪要")

    assert titles("烈话") == {"激烈话题讨论会纪要"}


def test_a_single_character_finds_the_words_it_begins(make_entry) -> None:
    make_entry("税务登记办理指南")
    make_entry("户籍办理指南")

    assert titles("税") == {"税务登记办理指南"}


@pytest.mark.parametrize(
    "q",
    [
        "西政发〔2006〕12号",
        "西政发[2006]12号",
        "西政发［2006］12号",
        "西政发（2006）12号",
        "西政发【2006】12号",
        "〔2006〕12号",
    ],
)
def test_document_number_in_any_bracket_form(make_entry, q: str) -> None:
    make_entry("关于印发软环境建设实施方案的通知", document_no="西政发〔2006〕12号")
    make_entry("关于加强效能建设的通知", document_no="西政发〔2006〕13号")
    make_entry("关于转发文件的通知", body="根据大政发〔2006〕12号文件精神。")

    found = titles(q)

    assert "关于印发软环境建设实施方案的通知" in found
    assert "关于加强效能建设的通知" not in found


def test_document_number_cited_in_the_body(make_entry) -> None:
    make_entry("关于转发文件的通知", body="根据西政发〔2006〕12号文件精神，现转发如下。")

    assert titles("西政发[2006]12号") == {"关于转发文件的通知"}


def test_title_matches_rank_before_body_matches_then_newer_first(make_entry) -> None:
    # given: the body match is the newest, the title matches are older
    make_entry(
        "工作动态",
        body="关于行政许可的说明。",
        published_date=datetime.date(2024, 6, 1),
    )
    make_entry("行政许可事项目录", published_date=datetime.date(2020, 1, 1))
    make_entry("行政许可事项清单", published_date=datetime.date(2022, 1, 1))

    # when
    found = [entry.title for entry in search("行政许可", order="relevance")]

    # then
    assert found == ["行政许可事项清单", "行政许可事项目录", "工作动态"]


def test_order_none_leaves_the_callers_ordering(make_entry) -> None:
    make_entry("投诉处理办法", published_date=datetime.date(2020, 1, 1))
    make_entry("工作动态", body="投诉处理。", published_date=datetime.date(2024, 1, 1))

    queryset = catalogue_entry_search(
        CatalogueEntry.objects.order_by("published_date"), "投诉", order="none"
    )

    assert [entry.title for entry in queryset] == ["投诉处理办法", "工作动态"]


def test_quoted_phrase_must_occur_as_is(make_entry) -> None:
    make_entry("优化营商环境的措施")
    make_entry("环境整治与营商政策", body="优化工作流程。")

    assert titles("营商 优化") == {"优化营商环境的措施", "环境整治与营商政策"}
    assert titles('"优化营商"') == {"优化营商环境的措施"}
    assert titles("“优化营商”") == {"优化营商环境的措施"}


# --- ASCII --------------------------------------------------------------------------------------


def test_ascii_words_case_insensitively(make_entry) -> None:
    make_entry("2024年全区GDP增长情况")
    make_entry("空气质量通报", body="本月PM2.5平均浓度下降。")

    assert titles("gdp") == {"2024年全区GDP增长情况"}
    assert titles("GDP") == {"2024年全区GDP增长情况"}
    assert titles("pm2.5") == {"空气质量通报"}
    assert titles("ＰＭ２．５") == {"空气质量通报"}  # full-width, as Chinese input methods type it


# --- Hostile and odd input ----------------------------------------------------------------------


def test_metacharacters_are_plain_text(make_entry) -> None:
    make_entry("关于公布收费项目标准的通知")
    make_entry("利率100%_调整", body="a'b\"c;--d\\e.*+?()[]{}|^$")

    assert search(METACHARACTERS) == []
    assert search("%") == []
    assert search("_") == []
    assert search("' OR 1=1 --") == []
    assert titles("收费%") == {"关于公布收费项目标准的通知"}
    assert titles("收费' OR '1'='1") == set()  # "or" and "1" are words too: AND, no match
    assert titles('"收费" *') == {"关于公布收费项目标准的通知"}


def test_query_of_only_punctuation_finds_nothing(make_entry) -> None:
    make_entry("关于公布收费项目标准的通知")

    assert search("。，、！？…——《》") == []
    assert search("《%》 —— ~!@#") == []


def test_control_characters_do_not_break_the_query(make_entry) -> None:
    make_entry("关于公布收费项目标准的通知")

    search("收\x00费\x1b")  # PostgreSQL refuses NUL in text: it must never reach the database
    assert titles("\x00收费\u200b") == {"关于公布收费项目标准的通知"}
    queryset = CatalogueEntry.objects.all()
    assert catalogue_entry_search(queryset, "\x00\x01") is queryset  # nothing left: blank


def test_blank_query_returns_the_queryset_unchanged(make_entry) -> None:
    make_entry("关于公布收费项目标准的通知")
    queryset = CatalogueEntry.objects.all()

    assert catalogue_entry_search(queryset, "") is queryset
    assert catalogue_entry_search(queryset, "   \u3000 ") is queryset
    assert catalogue_entry_search(queryset, None) is queryset


def test_ten_thousand_character_query_is_refused_with_a_clear_message() -> None:
    with pytest.raises(SearchQueryError) as error:
        search("收费" * 5000)

    with translation.override("en"):
        assert str(error.value) == "Search terms are limited to 200 characters."
    assert isinstance(error.value, ValueError)


def test_query_length_limit_is_after_normalisation(make_entry) -> None:
    make_entry("关于公布收费项目标准的通知")

    assert search("收" * MAX_QUERY_LENGTH) == []  # at the limit: searched
    assert titles("  收费  " + " " * 300) == {"关于公布收费项目标准的通知"}  # spaces collapse
    with pytest.raises(SearchQueryError):
        search("收" * (MAX_QUERY_LENGTH + 1))


# --- Visibility and cost ------------------------------------------------------------------------


def test_visibility_is_the_querysets_job(make_entry) -> None:
    make_entry("收费公示（已发布）")
    make_entry("收费公示（草稿）", status=CatalogueEntry.Status.DRAFT)

    published = catalogue_entry_search(CatalogueEntry.objects.published(), "收费")

    assert [entry.title for entry in published] == ["收费公示（已发布）"]
    assert titles("收费") == {"收费公示（已发布）", "收费公示（草稿）"}


@pytest.mark.parametrize("hits", [1, 12])
def test_a_search_is_one_query_whatever_the_hits(
    make_entry, django_assert_num_queries, hits: int
) -> None:
    for number in range(hits):
        make_entry(f"收费项目公示第{number}批")
    make_entry("无关的通知")

    with django_assert_num_queries(1):
        found = search("收费")
    with django_assert_num_queries(1):
        catalogue_entry_search(CatalogueEntry.objects.all(), "收费", order="none").count()

    assert len(found) == hits


# --- Keeping the index current ------------------------------------------------------------------


def test_update_after_an_edit_drops_the_old_words(make_entry) -> None:
    entry = make_entry("关于收费项目的通知")
    assert titles("收费") == {"关于收费项目的通知"}

    entry.title = "关于投诉举报的通知"
    entry.save(update_fields=["title"])
    search_index_update([entry.pk])

    assert titles("收费") == set()
    assert titles("投诉") == {"关于投诉举报的通知"}


def test_remove(make_entry) -> None:
    entry = make_entry("关于收费项目的通知")

    search_index_remove([entry.pk])

    assert titles("收费") == set()


def test_update_of_a_deleted_entry_removes_it(make_entry) -> None:
    entry = make_entry("关于收费项目的通知")
    entry_id = entry.pk
    CatalogueEntry.objects.filter(pk=entry_id).delete()

    search_index_update([entry_id])  # no error: the id is dropped from the index

    assert titles("收费") == set()


def test_rebuild_command_indexes_everything(make_entry, capsys) -> None:
    make_entry("关于收费项目的通知", index=False)
    make_entry("关于投诉举报的通知", index=False)
    assert titles("收费") == set()

    call_command("rebuild_search_index", "--batch-size", "1")

    assert titles("收费") == {"关于收费项目的通知"}
    assert titles("投诉") == {"关于投诉举报的通知"}
    assert "Indexed 2 catalogue entries" in capsys.readouterr().out


def test_rebuild_reports_progress(make_entry) -> None:
    for number in range(3):
        make_entry(f"通知{number}", index=False)
    seen: list[tuple[int, int]] = []

    count = search_index_rebuild(batch_size=2, progress=lambda *args: seen.append(args))

    assert count == 3
    assert seen == [(2, 3), (3, 3)]


# --- Tokens (no database) -----------------------------------------------------------------------


def test_tokens_hold_every_dictionary_word_inside_a_user_word() -> None:
    tokens = index_tokens("持续优化营商环境")

    assert {"优化营商环境", "营商环境", "营商", "环境"} <= set(tokens)


def test_index_and_query_tokens_are_fts5_and_tsvector_safe() -> None:
    text = f"西政发〔2006〕12号 PM2.5 {METACHARACTERS} C++ a'b 收费项目"
    for token in index_tokens(text, bigrams=True) + [t.text for t in query_terms(normalize(text))]:
        assert token.isalnum(), token
