"""Security baseline: login throttling, password rules, headers, and a clean `check --deploy` in production."""

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client


def test_login_is_locked_after_five_failures_even_with_the_right_password(world):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "officer", "password": "wrong-password-1"})
    response = client.post("/accounts/login/", {"username": "officer", "password": "correct-horse-battery-9"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (403, 429)


@pytest.mark.parametrize("password", ["short1", "1234567890123", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "PANTAU_REQUIRE_SECRET": "true",
        "PANTAU_HTTPS": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "ALLOWED_HOSTS": "pantau.example.go.id",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pantau", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "false", "PANTAU_REQUIRE_SECRET": "true", "SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "-m", "pantau", "check"], env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_admin_runs_under_the_same_policy_without_inline_scripts(world):
    import re

    client = Client()
    client.force_login(world.superuser)
    for url in ("/admin/", "/admin/workplans/action/add/", "/admin/accounts/user/"):
        response = client.get(url)
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        html = response.content.decode()
        executable = [tag for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) if "application/json" not in tag]
        assert executable == [], url
        assert 'style="' not in html, url


@pytest.mark.parametrize("key", ["change-me-to-a-long-random-string", "x" * 60, "short-but-varied-key-123"])
def test_production_refuses_the_placeholder_or_a_weak_secret_key(key):
    env = {**os.environ, "DEBUG": "false", "PANTAU_REQUIRE_SECRET": "true", "SECRET_KEY": key}
    result = subprocess.run([sys.executable, "-m", "pantau", "check"], env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "SECRET_KEY is the placeholder of .env.example or too weak" in result.stderr


def test_a_weak_key_is_still_accepted_on_a_developers_machine():
    env = {**os.environ, "DEBUG": "true", "SECRET_KEY": "change-me-to-a-long-random-string"}
    result = subprocess.run([sys.executable, "-m", "pantau", "check"], env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start():
    env = {**os.environ, "PANTAU_TRUSTED_PROXIES": "10.0.0.1,proxy.local"}
    result = subprocess.run([sys.executable, "-m", "pantau", "check"], env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "'proxy.local' is not an IP address or network" in result.stderr
