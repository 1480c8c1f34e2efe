"""gunicorn settings for `make serve-prod`; every value can be overridden on the command line or by env."""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: the app is CPU-bound on PDF rendering and short on everything else.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# WeasyPrint keeps ~0.85 MiB per render (notes.md): recycle workers so memory stays flat.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 500))
max_requests_jitter = 50
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
