"""Reading a request's body and query parameters the same way in every view."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.serializers import Serializer

from designer.errors import ServiceError


def valid_data(serializer_class: type[Serializer], request: Request, **kwargs) -> dict:
    """The request body checked by `serializer_class`; a 400 naming each bad field otherwise."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ServiceError("invalid", f"The query parameter {name!r} must be a whole number.", {"field": name})
