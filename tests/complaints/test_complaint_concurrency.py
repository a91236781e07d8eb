"""Concurrent submissions (PostgreSQL): every one stored, every number distinct; cluster alerts."""

import threading

import pytest
from django.core import mail
from django.db import connection

from complaints.actions.complaints import complaint_submit
from complaints.models import Complaint
from tests.factories.complaints import submit_complaint
from tests.factories.disclosure import AdministrativeEntityFactory
from tests.factories.services import ServiceWindowFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_100_concurrent_submissions_give_100_distinct_numbers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    entity = AdministrativeEntityFactory()
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def submit(batch: int) -> None:
        try:
            barrier.wait()
            for index in range(5):
                complaint_submit(
                    entity=entity,
                    category="delay",
                    description=f"并发投诉 {batch}-{index}",
                    anonymous=True,
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Complaint.objects.count() == 100
    assert Complaint.objects.values("tracking_no").distinct().count() == 100


@pytest.mark.django_db(transaction=True)
def test_the_bureau_is_alerted_when_one_window_gathers_complaints(settings):
    settings.COMPLAINTS_ALERT_THRESHOLD = 3
    settings.COMPLAINTS_ALERT_DAYS = 30
    settings.COMPLAINTS_BUREAU_EMAIL = "jianchaju@xigang.example.gov.cn"
    window = ServiceWindowFactory()
    for _ in range(2):
        submit_complaint(window=window)
    assert not [m for m in mail.outbox if "jianchaju" in m.to[0]]
    submit_complaint(window=window)
    alerts = [m for m in mail.outbox if m.to == ["jianchaju@xigang.example.gov.cn"]]
    assert len(alerts) == 1
    submit_complaint(window=window)
    assert len([m for m in mail.outbox if m.to == ["jianchaju@xigang.example.gov.cn"]]) == 1
