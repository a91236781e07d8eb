"""The API's error bodies, as the schema documents them (every app's endpoints share them)."""

from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    """A refusal with one message: not found (404), too many requests (429)."""

    detail = serializers.CharField()

    class Meta:
        ref_name = "ErrorDetail"
