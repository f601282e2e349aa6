# The application image for compose.yaml: web, workers and Beat run from it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# fonts-dejavu-core: the demo's cover art (seed_demo) is set in DejaVu.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected into the image; nginx serves them from a shared volume.
RUN DJANGO_SETTINGS_MODULE=site_config.settings.dev SECRET_KEY=build-only \
    python manage.py collectstatic --noinput
RUN useradd --system --home /app storefront && mkdir -p /app/var && chown -R storefront /app/var
USER storefront
