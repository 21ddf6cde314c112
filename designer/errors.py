"""One domain error type and one error body: `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """An error a user can cause, raised by services and turned into a 4xx response."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, message: str, details: Any = None, *, status_code: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
        if status_code is not None:
            self.status_code = status_code


class Conflict(ServiceError):
    status_code = status.HTTP_409_CONFLICT


class Forbidden(ServiceError):
    status_code = status.HTTP_403_FORBIDDEN


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"/field/0/sub": [messages]}: the location is a JSON pointer."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            where = prefix if key == "non_field_errors" else f"{prefix}/{key}"
            for pointer, messages in _flatten(value, where).items():
                out.setdefault(pointer, []).extend(messages)
    elif isinstance(detail, list) and detail and all(not isinstance(item, (dict, list)) for item in detail):
        out[prefix or "/"] = [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            for pointer, messages in _flatten(value, f"{prefix}/{index}").items():
                out.setdefault(pointer, []).extend(messages)
    else:
        out[prefix or "/"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not ours and not DRF's: log it with its stack, but answer in our shape, never a bare 500 page.
        log.exception("Unhandled error in %s", context.get("view"))
        return Response(error_body("server_error", "Something went wrong on our side."), status=500)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first_pointer, first_messages = next(iter(fields.items()), ("/", ["Invalid input."]))
        message = f"{first_messages[0]} (at {first_pointer})"
        response.data = error_body("invalid", message, {"fields": fields})
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        response.data = error_body(code, str(exc.detail))
    return response


def json_404(request, exception=None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def json_500(request) -> JsonResponse:
    return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
