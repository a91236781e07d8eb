"""`manage.py sweep_deadlines` applies every app's clock, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_one_command_sweeps_requests_cases_complaints_and_projects():
    first, second = io.StringIO(), io.StringIO()

    call_command("sweep_deadlines", "--today", "2026-06-01", stdout=first)
    call_command("sweep_deadlines", "--today", "2026-06-01", stdout=second)

    lines = first.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "requests",
        "service cases",
        "complaints",
        "rectification projects",
    ]
    assert "0 overdue, 0 deemed approved" in second.getvalue()
    assert "rectification projects: 0 newly overdue" in second.getvalue()
