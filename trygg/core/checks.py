"""Deployment checks Django's own `check --deploy` does not make (run with `trygg check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        return [
            Error("TRYGG_ALLOWED_HOSTS is empty: set it to the site's host name.", id="trygg.E001")
        ]
    if "*" in hosts or any(host.startswith(".") and host.count(".") < 2 for host in hosts):
        return [Error("TRYGG_ALLOWED_HOSTS must name the site's hosts, not '*'.", id="trygg.E002")]
    return []


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES", {})
    errors = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        errors.append(
            Error("The Content-Security-Policy middleware is not installed.", id="trygg.E003")
        )
    if policy.get("REPORT_ONLY") or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
        errors.append(
            Error("The Content-Security-Policy must be enforced, not report-only.", id="trygg.E004")
        )
    for directive in ("default-src", "script-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in directives:
            errors.append(Error(f"The Content-Security-Policy lacks {directive}.", id="trygg.E005"))
    for directive in ("script-src", "style-src", "default-src"):
        unsafe = UNSAFE_SOURCES.intersection(str(s) for s in directives.get(directive, []))
        if directive == "default-src":
            unsafe -= {"data:"}
        if unsafe:
            errors.append(
                Error(
                    f"{directive} allows {', '.join(sorted(unsafe))}: no inline or foreign code.",
                    id="trygg.E006",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_email_and_site(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    warnings = []
    if settings.EMAIL_BACKEND.endswith(
        ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")
    ):
        warnings.append(
            Warning(
                "Email is not sent anywhere (TRYGG_EMAIL_BACKEND): password resets will not arrive.",
                id="trygg.W001",
            )
        )
    if settings.SITE_URL.startswith("http://") and not settings.DEBUG:
        warnings.append(Warning("TRYGG_SITE_URL should use https.", id="trygg.W002"))
    return warnings
