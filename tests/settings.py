"""Test settings: production settings with a test secret, plain HTTP and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SCORECARD_SIMPLE_STATIC", "1")
# Tasks run at once in the test's process, unless a test asks otherwise (a task worker started
# by a test is given TASK_BACKEND=database).
os.environ.setdefault("TASK_BACKEND", "immediate")

from scorecard.settings import *  # noqa: E402,F403

# The test client and the live server speak plain HTTP on loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
