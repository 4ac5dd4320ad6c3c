"""Who sees which compliance results: region-addressed results are public data for every logged-in user; results
about a unit follow the unit's scope (as workplans' actions do)."""

from decimal import Decimal as D

from django.contrib.auth.models import AnonymousUser

from pantau.accounts.models import Permission
from pantau.assessments.models import ComplianceResult, MethodEdition


def results(world):
    edition = MethodEdition.objects.get(code="ombudsman-2022")
    public = ComplianceResult.objects.create(region_id="15.05", province_code="15", year=2022, edition=edition,
                                             score=D("82.17"))
    about_dukcapil = ComplianceResult.objects.create(unit=world.dukcapil, province_code="15", year=2022,
                                                     edition=edition, score=D("90.00"))
    return public, about_dukcapil


def visible(user):
    return set(ComplianceResult.objects.for_user(user, Permission.VIEW))


def test_a_published_regional_result_is_visible_to_every_logged_in_user(world):
    public, about_dukcapil = results(world)
    assert visible(world.outsider) == {public}
    assert visible(world.other_officer) == {public}
    assert visible(world.officer) == {public, about_dukcapil}
    assert visible(world.coordinator) == {public, about_dukcapil}
    assert visible(world.ombudsman_admin) == {public, about_dukcapil}
    assert visible(world.superuser) == {public, about_dukcapil}


def test_the_public_without_an_account_sees_no_stored_results(world):
    results(world)
    assert visible(AnonymousUser()) == set()
