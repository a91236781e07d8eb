"""The portal's WSGI application with a query counter, for `make bench` only.

Every response carries `X-Bench-Queries: N`, the number of SQL statements the request ran
(counted with `connection.execute_wrapper`, so nothing in the portal's settings or middleware
changes). Served by gunicorn as `bench.wsgi:application`; never deploy this module.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connections  # noqa: E402

portal = get_wsgi_application()


def application(environ, start_response):  # noqa: ANN001, ANN201
    """Run the portal, counting the queries of this request into a response header."""
    count = [0]

    def counter(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        count[0] += 1
        return execute(sql, params, many, context)

    def counted_start_response(status, headers, exc_info=None):  # noqa: ANN001, ANN202
        return start_response(status, [*headers, ("X-Bench-Queries", str(count[0]))], exc_info)

    with connections["default"].execute_wrapper(counter):
        return portal(environ, counted_start_response)
