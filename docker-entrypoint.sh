#!/bin/sh
# The image's entrypoint: web | worker | scheduler | migrate | any other command.
set -e
case "${1:-web}" in
  web)
    exec gunicorn wsgi:app --bind "${HOST:-0.0.0.0}:${PORT:-8000}" \
      --workers "${WEB_WORKERS:-4}" --worker-class sync \
      --graceful-timeout 10 --log-level warning ;;
  worker)
    exec python worker.py ;;
  scheduler)
    exec python -m advocacy.scheduler ;;
  migrate)
    exec flask --app advocacy db upgrade ;;
  *)
    exec "$@" ;;
esac
