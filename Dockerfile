# One image for every role: `web` (default), `worker`, `scheduler`, `migrate`.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    INSTANCE_PATH=/data \
    PORT=8000 \
    HOST=0.0.0.0

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin advocacy \
    && mkdir -p /data && chown advocacy /data

# The code runs from /app (an editable install), where templates/, static/ and
# migrations/ sit beside the package, exactly as in a checkout.
COPY pyproject.toml README.md LICENSE ./
COPY advocacy ./advocacy
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY worker.py wsgi.py docker-entrypoint.sh ./
RUN pip install -e . && pybabel compile -d advocacy/translations

USER advocacy
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os,sys,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4); sys.exit(0)" || exit 1
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["web"]
