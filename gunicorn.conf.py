"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py site_config.wsgi`.

Process model
-------------
gunicorn runs behind nginx (deploy/nginx.conf), which buffers whole request bodies
before it forwards them and whole responses before it sends them on. A slow client
therefore holds an nginx connection (cheap: an event loop), never a gunicorn worker:
the four-slow-clients stall seen with bare sync workers cannot happen.

What can still hold a request is our own outbound I/O: a Dodo call at checkout (its
deadline is well under ``timeout``), PostgreSQL, Redis. With ``gthread`` a worker
process runs ``threads`` requests at once, so one request waiting on Dodo leaves the
process's other threads serving; memory stays at one Django per process. Django is
thread-safe for request handling; each thread keeps its own database connection
(``CONN_MAX_AGE``), so PostgreSQL sees up to ``workers * threads`` connections per
host: size ``max_connections`` (or a pgbouncer) for that.

Workers default to 2 x CPU + 1 processes of 4 threads; both are overridable per host
(``WEB_CONCURRENCY``, ``GUNICORN_THREADS``). Everything here reads the environment so
one file serves compose, the Procfile, systemd and ``make scale-test``.
"""

import gc
import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Behind nginx on the same host by default; compose binds 0.0.0.0 in its container.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _env_int("GUNICORN_THREADS", 4)

# A request that runs past 30 s is a bug (every outbound call has a shorter
# deadline): the worker is killed and replaced rather than left wedged.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On SIGTERM/HUP, in-flight requests get this long to finish before the kill.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Longer than nginx's upstream keepalive_timeout, so gunicorn never closes a
# connection nginx is about to reuse.
keepalive = _env_int("GUNICORN_KEEPALIVE", 75)

# Recycle each worker after about this many requests (a slow leak stays bounded);
# the jitter keeps workers from all restarting at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Load the app in the master so workers fork with it and a broken deploy fails at
# start, not on the first request.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def pre_fork(server, worker):
    """Freeze what the master holds (the preloaded, warmed app: ~350,000 objects)
    out of the garbage collector's reach before each fork.

    Otherwise every worker's full collections walk all of it (about 0.18 s each,
    inside somebody's request) and, by touching each object's header, copy the
    pages it was meant to share with the master (Python's gc.freeze documentation
    describes this use). The worker's own objects are collected as usual.
    """
    gc.freeze()


# Forwarded headers are believed only from the proxy (gunicorn uses them for
# wsgi.url_scheme; Django's ProxyHeadersMiddleware applies TRUSTED_PROXIES itself).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log to stdout; the proxy's client address is in X-Forwarded-For, and the
# request id (set by nginx, echoed by Django) ties a line to the app's log lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}i)s "%(a)s"'
)
# Heartbeat files in RAM, off a possibly slow disk (container overlay); gunicorn only
# touches its own uniquely named files there.
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
proc_name = "storefront-web"
