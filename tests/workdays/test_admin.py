"""The admin: day list with filters, editing through the actions, the years page."""

import datetime as dt

import pytest
from django.urls import reverse

from workdays.calendar import is_workday
from workdays.models import CalendarDay, Source

pytestmark = pytest.mark.django_db


def test_day_list_filters_and_search(admin_client) -> None:
    url = reverse("admin:workdays_calendarday_changelist")
    response = admin_client.get(url, {"kind": "holiday", "year": "2025"})
    assert response.status_code == 200
    assert "2025-10-01" in response.content.decode() or "2025年10月1日" in response.content.decode()
    assert admin_client.get(url, {"q": "春节"}).status_code == 200
    found = admin_client.get(url, {"q": "2025-10-11"})
    assert found.status_code == 200
    assert found.context["cl"].result_count == 1


def test_admin_edit_changes_the_calendar_and_keeps_history(admin_client) -> None:
    day = CalendarDay.objects.get(date=dt.date(2025, 10, 11))
    assert is_workday(day.date)
    url = reverse("admin:workdays_calendarday_change", args=[day.pk])
    response = admin_client.post(
        url,
        {"date": "2025-10-11", "kind": "holiday", "name": "国庆节", "source_notice_url": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day.refresh_from_db()
    assert (day.kind, day.source) == ("holiday", Source.ADMIN)
    assert not is_workday(day.date)
    history = admin_client.get(reverse("admin:workdays_calendarday_history", args=[day.pk]))
    assert history.status_code == 200
    assert day.history.count() == 2


def test_admin_add_and_delete(admin_client) -> None:
    add = admin_client.post(
        reverse("admin:workdays_calendarday_add"),
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "source_notice_url": ""},
    )
    assert add.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2027, 1, 1))
    assert not is_workday(day.date)
    delete = admin_client.post(
        reverse("admin:workdays_calendarday_delete", args=[day.pk]), {"post": "yes"}
    )
    assert delete.status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
    assert is_workday(dt.date(2027, 1, 1))


def test_years_page_shows_loaded_years_and_counts(admin_client) -> None:
    response = admin_client.get(reverse("admin:workdays_calendaryear_changelist"))
    assert response.status_code == 200
    rows = {row.year: row for row in response.context["cl"].result_list}
    assert rows[2025].holiday_count == 28
    assert rows[2025].makeup_workday_count == 5
    assert rows[2024].makeup_workday_count == 8
    assert all(row.complete for row in rows.values())


def test_year_change_form_renders(admin_client) -> None:
    from workdays.models import CalendarYear

    year = CalendarYear.objects.get(year=2025)
    response = admin_client.get(reverse("admin:workdays_calendaryear_change", args=[year.pk]))
    assert response.status_code == 200


def test_admin_reason_is_chinese_when_the_official_uses_english(admin_user) -> None:
    from django.contrib import admin
    from django.test import RequestFactory
    from django.utils import translation

    day = CalendarDay.objects.get(date=dt.date(2025, 10, 11))
    request = RequestFactory().post("/admin/workdays/calendarday/")
    request.user = admin_user
    with translation.override("en"):
        admin.site.get_model_admin(CalendarDay).delete_model(request, day)
    assert CalendarDay.history.filter(date=day.date).latest(
        "history_date"
    ).history_change_reason == ("在后台删除")
