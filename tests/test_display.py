"""One way to show people, durations and labels: the helpers behind every page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django import forms
from django.contrib.auth.models import User
from django.template import Context, Template

from csops.durations import duration, duration_days
from csops.people import PersonChoiceField, display_name, label_people, name_and_username
from kpis.exports import column, series_column
from kpis.templatetags.kpis_format import age_bucket, change, metric
from tickets.templatetags.labels import label_of


def person(pk: int = 7, username: str = "rreyes", first: str = "Rita", last: str = "Reyes"):
    return User(pk=pk, username=username, first_name=first, last_name=last)


@pytest.mark.parametrize(
    ("_case", "minutes", "text"),
    [
        ("none", None, "—"),
        ("zero", 0, "0 min"),
        ("seconds", 0.3, "< 1 min"),
        ("under a minute", 0.9, "< 1 min"),
        ("a minute", 1, "1 min"),
        ("minutes", 45, "45 min"),
        ("fraction of a minute", 44.6, "45 min"),
        ("just under an hour", 59.4, "59 min"),
        ("rounds up to an hour", 59.6, "1 h"),
        ("whole hours", 120, "2 h"),
        ("hours", 113.6, "1.9 h"),
        ("hours, one decimal", 468, "7.8 h"),
        ("just under a day", 1436, "23.9 h"),
        ("rounds up to a day", 1438, "1 d"),
        ("days", 4608, "3.2 d"),
        ("an SLA target of 4800 min", 4800, "3.3 d"),
        ("long", 1_440_000, "1000 d"),
        ("negative", -90, "−1.5 h"),
        ("a string from a template", "30", "30 min"),
    ],
)
def test_duration_picks_the_unit_by_magnitude(_case, minutes, text):
    assert duration(minutes) == text


def test_duration_days_reads_like_every_other_duration():
    assert duration_days(2) == "2 d"
    assert duration_days(0.25) == "6 h"
    assert duration_days(None) == "—"
    assert duration(None, empty="none yet") == "none yet"


def test_display_name_is_the_full_name_else_the_username():
    assert display_name(person()) == "Rita Reyes"
    assert display_name(person(first="", last="")) == "rreyes"
    assert display_name(person(first="Rita", last="")) == "Rita"
    assert display_name(None) == ""
    assert display_name(None, "Unassigned") == "Unassigned"


def test_admins_see_the_name_and_the_username():
    assert name_and_username(person()) == "Rita Reyes (rreyes)"
    assert name_and_username(person(first="", last="")) == "rreyes"
    assert name_and_username(None) == ""


def test_template_filters_show_names_and_durations():
    template = Template(
        "{% load display %}{{ who|display_name }}|{{ nobody|display_name:'rule' }}|"
        "{{ wait|duration }}|{{ missing|duration:'none yet' }}|{{ age|duration_days }}"
    )
    context = Context({"who": person(), "nobody": None, "wait": 468, "missing": None, "age": 3})
    assert template.render(context) == "Rita Reyes|rule|7.8 h|none yet|3 d"


def test_dashboard_metric_formats_use_the_one_duration_format():
    assert metric(113.6, "minutes") == "1.9 h"
    assert metric(45, "minutes") == "45 min"
    assert metric(1.5, "days") == "1.5 d"
    assert metric(84.6, "percent") == "84.6 %"
    assert metric(None, "minutes") == "—"
    assert change(-102, "minutes") == "−1.7 h"
    assert change(6, "score") == "+6"
    assert change(1.8, "percent") == "+1.8 pts"


def test_labels_come_from_the_model_choices():
    assert label_of("closed", "status") == "Closed"
    assert label_of("on_hold", "status") == "On hold"
    assert label_of("web", "channel") == "Web form"
    assert label_of("first_reply", "sla_metric") == "First reply"
    assert label_of("requester_wait", "sla_metric") == "Requester wait"
    assert label_of("agent_work", "sla_metric") == "Agent work"
    assert label_of("urgent", "priority") == "Urgent"
    assert label_of("something_new", "status") == "Something new"
    assert label_of(None, "status") == ""
    assert age_bucket("1-3d") == "1–3 days"
    assert age_bucket("30d+") == "30 days or more"


def test_csv_headers_name_the_unit_and_values_stay_plain():
    assert column("first_reply_median") == "First reply (median) [minutes]"
    assert column("sla_attainment") == "SLA attainment [%]"
    assert column("created") == "Tickets created"
    assert series_column("full_resolution_median") == "full_resolution_median_minutes"
    assert series_column("backlog") == "backlog"


class _Form(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    picked = PersonChoiceField(queryset=User.objects.none())


def test_drop_downs_of_people_are_labelled_with_display_names():
    form = label_people(_Form())
    rita = person()
    assert form.fields["owner"].label_from_instance(rita) == "Rita Reyes"
    assert form.fields["picked"].label_from_instance(rita) == "Rita Reyes"


@time_machine.travel("2026-03-05T12:00:00+00:00", tick=False)
def test_age_is_the_time_since_an_instant_in_the_duration_format():
    template = Template("{% load display %}{{ a|age }}|{{ b|age }}|{{ c|age }}|{{ none|age }}")
    context = Context(
        {
            "a": datetime(2026, 3, 5, 11, 15, tzinfo=UTC),
            "b": datetime(2026, 3, 5, 4, 12, tzinfo=UTC),
            "c": datetime(2026, 3, 2, 7, 12, tzinfo=UTC),
            "none": None,
        }
    )
    assert template.render(context) == "45 min|7.8 h|3.2 d|—"
