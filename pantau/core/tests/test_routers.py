"""The read-replica router (docs/scale.md): dashboard and report reads go to the alias ``replica`` when one is
configured, writes always to ``default``; without a replica nothing changes. The test settings give the alias
``replica`` as a mirror of the test database (``TEST: {"MIRROR": "default"}``), so where a query went is seen by
capturing each connection's queries."""

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from pantau.accounts.models import User
from pantau.core.routers import ReplicaRouter, reading_replica
from pantau.workplans.models import Action


def test_the_replica_alias_mirrors_the_test_database(settings):
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert "pantau.core.routers.ReplicaRouter" in settings.DATABASE_ROUTERS


def test_reads_go_to_the_replica_only_inside_a_dashboard_read_and_only_when_configured():
    router = ReplicaRouter()
    with override_settings(READ_REPLICA=True):
        assert router.db_for_read(Action) == "default"  # outside a dashboard read
        with reading_replica():
            assert router.db_for_read(Action) == "replica"
            assert router.db_for_read(User) == "default"  # logins and grants never lag
            cache_entry = type("CacheEntry", (), {"_meta": type("Meta", (), {"app_label": "django_cache"})})
            assert router.db_for_read(cache_entry) == "default"  # rate limits and form tokens: never stale
            assert router.db_for_write(Action) == "default"
        assert router.db_for_write(Action) == "default"
    with override_settings(READ_REPLICA=False), reading_replica():
        assert router.db_for_read(Action) == "default"
    assert router.allow_migrate("default", "workplans") is True
    assert router.allow_migrate("replica", "workplans") is False


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_dashboard_reads_from_the_replica_and_a_write_page_does_not(world, client):
    client.force_login(world.coordinator)
    replica, default = connections["replica"], connections["default"]
    with override_settings(READ_REPLICA=True):
        with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(default) as on_default:
            response = client.get(f"/work-plans/{world.plan.pk}/")
        assert response.status_code == 200
        assert any("agreements_agreement" in q["sql"] for q in on_replica.captured_queries)
        assert not any("agreements_agreement" in q["sql"] for q in on_default.captured_queries)
        assert any("django_session" in q["sql"] for q in on_default.captured_queries)  # the session: default
        with CaptureQueriesContext(replica) as on_replica:
            response = client.get(f"/work-plans/{world.plan.pk}/actions/")  # not a dashboard: default only
        assert response.status_code == 200
        assert on_replica.captured_queries == []
    with CaptureQueriesContext(replica) as on_replica:  # no replica configured: nothing goes there
        assert client.get(f"/work-plans/{world.plan.pk}/").status_code == 200
    assert on_replica.captured_queries == []
