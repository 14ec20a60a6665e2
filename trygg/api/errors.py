"""Errors as JSON, in the language of the request (LocaleMiddleware reads Accept-Language).

Every error answer has the same shape: ``{"detail": "<message>"}``, and for invalid input (422)
also ``"errors": {"<field>": ["<message>", ...]}``, where ``"__all__"`` holds messages that
belong to no single field. The access functions raise Http404 and PermissionDenied, the services
raise Django's ValidationError; the handlers here turn them into those answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]]


# Every operation can answer these; the per-operation response maps add them to the OpenAPI.
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 422: InvalidOut}


class InvalidToken(AuthenticationError):
    """A token was sent but is unknown, revoked or expired, or the header is malformed."""


class ReadOnlyToken(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "read-only token")


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


def invalid(**errors: str) -> ValidationError:
    """A ValidationError for fields of the request, e.g. ``invalid(unit_id=message)``."""
    return ValidationError({field: [message] for field, message in errors.items()})


def not_a_choice(field: str) -> ValidationError:
    # Django's own message, so it is already translated into bokmål and nynorsk.
    return invalid(
        **{field: _("Select a valid choice. That choice is not one of the available choices.")}
    )


@contextmanager
def field_names(**renames: str) -> Iterator[None]:
    """Report a service's errors under the API's field names (the model's `parent` is the
    request's `parent_id`)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {renames.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from error


def _request_error_message(error: dict[str, Any]) -> str:
    """A message for one of pydantic's errors, in the user's language. The msgids are Django's
    own form messages where one fits, so they are translated already."""
    kind: str = error.get("type", "")
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "extra_forbidden":
        return _("This field is unknown.")
    if kind.startswith("datetime"):
        return _("Enter a valid date/time.")
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind.startswith("int"):
        return _("Enter a whole number.")
    if kind.startswith(("decimal", "float")):
        return _("Enter a number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    return _("Enter a valid value.")


def _request_error_field(loc: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "end_date") -> "end_date"; ("query", "unit") -> "unit"."""
    parts = list(loc)
    source = parts.pop(0) if parts else ""
    if source == "body" and parts:
        parts.pop(0)  # the name of the view's body parameter
    return ".".join(str(part) for part in parts) or NON_FIELD_ERRORS


def _invalid_response(
    api: NinjaAPI, request: HttpRequest, errors: dict[str, list[str]]
) -> HttpResponse:
    detail = _("The request has invalid fields.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def install_error_handlers(api: NinjaAPI) -> None:
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if str(exc) else _("You do not have permission to do this.")
        return api.create_response(request, {"detail": message}, status=403)

    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, InvalidToken):
            detail = _("The API token is invalid, expired or revoked.")
        else:
            detail = _("Log in, or send a personal API token: Authorization: Bearer <token>.")
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="trygg"'
        return response

    def read_only(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = _("This API token may only read. Create a token with write access.")
        return api.create_response(request, {"detail": detail}, status=403)

    def csrf_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = _(
            "CSRF check failed. Send the csrftoken cookie's value in the X-CSRFToken header, "
            "or use an API token instead of the browser session."
        )
        return api.create_response(request, {"detail": detail}, status=403)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own: 400 when the body is not JSON; other codes keep ninja's message.
        detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    def service_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
        else:
            errors = {NON_FIELD_ERRORS: exc.messages}
        return _invalid_response(api, request, errors)

    def request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            field = _request_error_field(error.get("loc", ()))
            errors.setdefault(field, []).append(_request_error_message(error))
        return _invalid_response(api, request, errors)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ReadOnlyToken, read_only)
    api.add_exception_handler(CsrfFailed, csrf_failed)
    api.add_exception_handler(ValidationError, service_invalid)
    api.add_exception_handler(RequestValidationError, request_invalid)
