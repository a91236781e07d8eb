"""The API schema's generator: drf-spectacular's, plus the error answers endpoints really give.

Without them the schema promised only 200/201, and a client (or schemathesis, see
tests/security/test_api_fuzz.py) met undocumented 400s, 404s and 429s. Each operation documents:

- 400 (field errors, an object keyed by field) when it takes a body or query parameters;
- 404 (`{"detail": …}`) when it has path parameters or is a paginated list (a page that does not
  exist);
- 429 (`{"detail": …}`, with Retry-After) for POST: every POST of the public API is a citizen's
  submission or lookup, rate-limited per address.

A view's own `extend_schema(responses=…)` for a code wins over these.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes

from disclosure.api.errors import ErrorDetailSerializer


class GongkaiAutoSchema(AutoSchema):
    """AutoSchema that adds the 400, 404 and 429 answers described in the module docstring."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        locations = {parameter.get("in") for parameter in parameters}
        responses = operation["responses"]
        if "requestBody" in operation or "query" in locations:
            responses.setdefault("400", self._get_response_for_code(OpenApiTypes.OBJECT, "400"))
        if "path" in locations or (self._is_list_view() and self._get_paginator()):
            responses.setdefault("404", self._get_response_for_code(ErrorDetailSerializer, "404"))
        if self.method == "POST":
            responses.setdefault("429", self._get_response_for_code(ErrorDetailSerializer, "429"))
        return operation
