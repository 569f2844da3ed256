"""gunicorn's configuration for production: `gunicorn -c python:meldroute.conf.gunicorn meldroute.wsgi`.

Every value can be changed by environment (MELDROUTE_GUNICORN_*) without editing this file. The app processes are
stateless (sessions, jobs and locks live in the database), so any number of them may run behind any reverse proxy;
see docs/operations.md.
"""

import multiprocessing
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(f"MELDROUTE_GUNICORN_{name}", default)


bind = _env("BIND", "127.0.0.1:8000")
# Synchronous workers: Django's ORM is synchronous, and a request blocks on the database, not on the network.
workers = int(_env("WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(_env("THREADS", "1"))
# A request that takes longer than this is killed and logged (a PDF report is the slowest page: ~5 s).
timeout = int(_env("TIMEOUT", "60"))
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "30"))
keepalive = int(_env("KEEPALIVE", "5"))
# Recycle each worker after this many requests (with jitter, so they do not all restart at once).
max_requests = int(_env("MAX_REQUESTS", "2000"))
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "200"))
# Trust X-Forwarded-* only from the proxy in front (comma-separated addresses; "*" only inside a closed network).
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
limit_request_line = 8190
limit_request_fields = 100
# Logs to stderr for the collector. The access log leaves out the query string (%(U)s, not %(r)s): a search
# for a name or an address must never end up in a log line. The request id ties it to the application's lines.
accesslog = _env("ACCESSLOG", "-")
errorlog = "-"
loglevel = _env("LOGLEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
# Load the application before forking: workers share its memory, and a broken configuration stops the start.
preload_app = True
