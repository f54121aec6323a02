"""WSGI entry point (gunicorn config.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The help requests' safety screen reads its word lists once per process (about half a second): a web worker reads
# them now, so that no student's request waits for it.
from peer_counselors.screening import screen  # noqa: E402

screen("")
