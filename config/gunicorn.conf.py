"""gunicorn settings for production and for `make bench`: `gunicorn -c config/gunicorn.conf.py`.

The application is loaded once, in the master (`preload_app`), together with the search
tokenizer's jieba dictionary (about 75 MB of Python objects), the URL resolver, the
translation catalogues and the compiled templates; the workers are forked from it
and share those pages copy-on-write instead of each loading its own copy on its first search.
`gc.freeze()` before forking keeps the cyclic garbage collector from writing to the shared
objects' headers (which would copy their pages into every worker). The price: code changes
need a restart (`kill -HUP` reloads the workers but not the preloaded code); deploy by
restarting the service.

Environment: WEB_CONCURRENCY (workers, default 2: 2-4 sync workers per 2 cores),
GUNICORN_BIND (default 127.0.0.1:8000), GUNICORN_TIMEOUT (seconds, default 60),
GUNICORN_PRELOAD=0 (each worker loads the application itself: only to compare memory).
"""

import gc
import os
from pathlib import Path

wsgi_app = "config.wsgi:application"  # a module named on the command line takes precedence
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def when_ready(server):
    """In the master, after the application is loaded and before any worker is forked."""
    if not server.cfg.preload_app:
        return  # each worker loads the application, and jieba on its first search
    from django.db import connections

    from disclosure.search.tokens import jieba_tokenizer

    jieba_tokenizer()
    _warm_per_process_caches()
    # No database connection may cross the fork: workers would share one socket.
    connections.close_all()
    gc.collect()
    gc.freeze()


def _warm_per_process_caches() -> None:
    """Build in the master what each worker would otherwise build on its first requests.

    The URL resolver's reverse tables, every language's translation catalogues and the
    project's compiled templates (the cached template loader): without this each worker holds
    its own copy (measured: 46 MB of a worker's own memory after a few pages, 27 MB with it).
    Nothing here touches the database, so the server starts when the database is down.
    """
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")
            get_resolver().reverse_dict  # noqa: B018 - built per language on first access
    root = Path(settings.BASE_DIR) / "templates"
    for path in sorted(root.rglob("*.html")):
        try:
            get_template(path.relative_to(root).as_posix())
        except (TemplateSyntaxError, TemplateDoesNotExist):
            pass  # a page's own request reports it, as without the warm-up


def pre_fork(server, worker):
    """Freeze again before each fork: what the master allocated since stays shared too."""
    gc.freeze()
