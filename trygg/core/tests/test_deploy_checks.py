"""`trygg check --deploy` is clean with production settings, and our own checks catch what
Django's miss (ALLOWED_HOSTS, the Content-Security-Policy)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "trygg.settings",
    "TRYGG_DEBUG": "0",
    "TRYGG_SECRET_KEY": "k8Jd0-qL2v9sPp1wZr4tYx7Bn3Mc6Vf5Gh8Jk2Lq9Ws1Ed4Rt7Yu0Io3Pa6Sd9Fg",
    "TRYGG_ALLOWED_HOSTS": "trygg.example.no",
    "TRYGG_SITE_URL": "https://trygg.example.no",
    "TRYGG_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def _check(tmp_path, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TRYGG_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(PRODUCTION_ENV, TRYGG_DATA_DIR=str(tmp_path))
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-m", "trygg.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_check_with_production_settings(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"TRYGG_ALLOWED_HOSTS": "*"}, "trygg.E002"),
        ({"TRYGG_ALLOWED_HOSTS": ""}, "trygg.E001"),
        ({"TRYGG_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "trygg.W001"),
    ],
)
def test_it_fails_the_deploy_check_on_unsafe_settings(tmp_path, overrides, code):
    result = _check(tmp_path, **overrides)
    assert result.returncode != 0
    assert code in result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check(tmp_path, TRYGG_SECRET_KEY="")
    assert result.returncode != 0
    assert "TRYGG_SECRET_KEY" in result.stderr


def test_it_flags_an_unsafe_content_security_policy(settings):
    from trygg.core.checks import check_content_security_policy

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "script-src": ["'self'", "'unsafe-inline'"],
        }
    }
    assert [e.id for e in check_content_security_policy(None)] == ["trygg.E006"]


def test_it_sends_a_strict_content_security_policy(client, db):
    response = client.get("/konto/logg-inn/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
