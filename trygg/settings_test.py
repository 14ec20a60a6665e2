"""Settings for the test suite: the real settings, made fast and deterministic."""

import os

os.environ.setdefault(
    "TRYGG_SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-0123456789"
)
os.environ.setdefault("TRYGG_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("TRYGG_SSL_REDIRECT", "0")
os.environ.setdefault("TRYGG_SECURE_COOKIES", "0")

from trygg.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
