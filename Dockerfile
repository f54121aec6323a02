# Production image for Heard: Django served by gunicorn; the same image runs
# the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# gettext compiles the Spanish messages below; it is not needed at run time.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Requirements first so code edits don't invalidate the dependency layer.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# The translations (locale/*/LC_MESSAGES/django.po) are compiled into the image, not kept in git.
RUN SECRET_KEY=compilemessages-build-only python manage.py compilemessages --verbosity 0

# Static files are baked into the image (STATIC_ROOT is var/staticfiles) so
# whitenoise serves the hashed, compressed copies. A throwaway SECRET_KEY keeps
# the build off the settings' insecure default; it never reaches the container.
RUN SECRET_KEY=collectstatic-build-only python manage.py collectstatic --noinput

# The code stays root-owned, so the app user cannot modify what it runs; only
# var/ is its own, for the SQLite and file-broker fallback of a bare `docker run`.
RUN useradd --system --create-home --uid 10001 heard \
    && chown heard:heard /app/var
USER heard

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
