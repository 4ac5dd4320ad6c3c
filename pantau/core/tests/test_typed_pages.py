"""Every page with a form for money, numbers or dates uses text inputs with a keyboard hint (``inputmode``), never
``type="number"`` or ``type="date"`` (Chromium reads those in the operating system's locale: "70,5" became 705), and
loads the script that shows the value as read; and every typed field reads back what it shows (round trip)."""

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.conftest import action_data
from pantau.standards.actions import create_service
from pantau.surveys import actions as surveys
from pantau.workplans import actions as wp
from pantau.workplans.forms import ProgressReportForm, typed_action_fields

BROWSER_TYPES = re.compile(r'<input[^>]*type="(number|date|datetime-local)"')


def test_no_form_page_uses_number_or_date_inputs(world):
    action = wp.create_action(actor=world.coordinator, work_plan=world.plan, data=action_data(world.dukcapil))
    service = create_service(actor=world.officer, unit=world.dukcapil, name="Penerbitan KTP-el")
    today = timezone.localdate()
    period = surveys.create_period(actor=world.coordinator, unit=world.dukcapil, start_date=today - dt.timedelta(30),
                                   end_date=today, public_form=True)
    client = Client()
    client.force_login(world.superuser)
    urls = [
        f"/work-plans/{world.plan.pk}/actions/new/", f"/actions/{action.pk}/edit/", f"/actions/{action.pk}/report/",
        f"/work-plans/{world.plan.pk}/actions/", f"/work-plans/{world.plan.pk}/findings/",
        f"/units/{world.dukcapil.pk}/assessment-rounds/new/", "/assessment-rounds/import/",
        f"/services/{service.pk}/standard/", f"/surveys/{period.pk}/", f"/skm/{period.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert BROWSER_TYPES.findall(html) == [], url
        assert 'src="/static/pantau/typed-input.js"' in html, url


@settings(max_examples=200)
@given(budget=st.integers(min_value=0, max_value=10**15),
       number=st.decimals(min_value=Decimal("-99999999999999.99"), max_value=Decimal("99999999999999.99"), places=2),
       date=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
       language=st.sampled_from(["id", "en"]))
def test_what_a_typed_field_shows_it_reads_back_to_the_same_value(budget, number, date, language):
    """The edit form shows a stored value in the user's language ("450.000", "1.234,50", "31 Agustus 2024"); sent
    back unchanged, it is read as the same value."""
    with translation.override(language):
        fields = typed_action_fields()
        report = ProgressReportForm().fields
        for field, value in [(fields["budget_planned"], budget), (fields["baseline"], number),
                             (fields["start_date"], date), (report["amount_spent"], budget),
                             (report["actual_value"], number), (report["report_date"], date)]:
            shown = field.widget.format_value(value)
            assert field.clean(shown) == value, (shown, value)
