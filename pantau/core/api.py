"""Shared pieces of the REST API (/api/v1/): error mapping, pagination and query-parameter parsing.

Errors: ``django.core.exceptions.ValidationError`` raised by the write path (``<app>/actions.py``) becomes a 400
whose body is keyed by field (``{"field": ["message", ...]}``; errors not tied to a field under
``non_field_errors``); ``django.core.exceptions.PermissionDenied`` becomes 403 and ``Http404`` becomes 404, as DRF
already does. Every Pantau viewset uses ``exception_handler`` through ``PantauAPIMixin``; settings may also name it
as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` so that other DRF views share it.

Versions (``core.concurrency``): ``VersionedAPIMixin`` sends a record's version as a strong ``ETag`` (``"3"``) on
detail GET and on the answer to a write, and reads ``If-Match`` on writes. A stale ``If-Match`` is 412 Precondition
Failed (``{"version": [message], "current_version": n}``), checked first against the row read and then again, under
the row lock, by the write path, so two clients racing with the same tag cannot both win. A write WITHOUT
``If-Match`` is accepted (the client read no version: a script that sets a field on purpose); clients that show a
record to a person and save it later must send the ``ETag`` they read.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from pantau.core.concurrency import StaleVersion, parse_version


def validation_detail(exc: DjangoValidationError, rename: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """A Django ValidationError as a field-keyed dict of message lists.

    ``__all__`` and errors without a field go under DRF's ``non_field_errors`` key; ``rename`` maps field names of
    the write path onto the names the API client sent (``cancel_reason`` -> ``reason``).
    """
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else rename.get(field, field)
            detail.setdefault(key, []).extend(str(m) for m in messages)
        return detail
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def as_api_error(exc: DjangoValidationError, rename: Mapping[str, str] | None = None) -> exceptions.ValidationError:
    """The DRF ValidationError (400) for a Django ValidationError, keyed by field (see ``validation_detail``)."""
    return exceptions.ValidationError(validation_detail(exc, rename))


class PreconditionFailed(exceptions.APIException):
    """412: the ``If-Match`` version is not the stored one (someone saved the record in between). ``payload`` is
    the body as sent: ``{"version": [message], "current_version": n or null}`` (the number stays a number)."""

    status_code = 412
    default_detail = "Precondition failed."
    default_code = "precondition_failed"

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload)
        self.payload = payload


def stale_error(exc: StaleVersion) -> PreconditionFailed:
    """The 412 for a stale write: ``{"version": [message], "current_version": n or null}``."""
    current = getattr(exc.current, "version", None)
    return PreconditionFailed({"version": [str(m) for m in exc.messages], "current_version": current})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError as a 400 with field-keyed messages and a stale version
    (``core.concurrency.StaleVersion``) as a 412.

    Django's PermissionDenied (403) and Http404 (404) are mapped by DRF's own handler; a 404 says "not found" in
    the user's language instead of Django's English "No Action matches the given query.", and unreadable JSON says
    so in the user's language instead of the parser's English detail.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours to see."))
    elif isinstance(exc, ParseError) and str(exc.detail).startswith("JSON parse error"):
        exc = ParseError(_("The request body is not valid JSON."))
    if isinstance(exc, StaleVersion):
        exc = stale_error(exc)
    elif isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    if isinstance(exc, PreconditionFailed):
        return Response(exc.payload, status=exc.status_code)
    return drf_exception_handler(exc, context)


def etag(version: int) -> str:
    """The strong entity tag of a record at ``version``: ``"3"``."""
    return f'"{version}"'


def if_match(request: Request, current_version: int) -> int | None:
    """The version the client says it read (``If-Match``), or None when it sent none (or ``*``).

    Raises PreconditionFailed (412) at once when the tag names another version than ``current_version`` (a tag
    that is no version number, or a weak tag, never matches: If-Match uses the strong comparison of RFC 9110). The
    returned version goes on to the write path, which checks it again under the row lock
    (``core.concurrency.claim_version``).
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    # If-Match compares strongly (RFC 9110 section 13.1.1): a weak tag (W/"4") never matches
    versions = [None if tag.strip().startswith("W/") else parse_version(tag) for tag in header.split(",")]
    if current_version not in versions:
        raise PreconditionFailed({
            "version": [_("The record changed since you read it (If-Match %(sent)s, now %(current)s); read it again "
                          "and re-apply your change.") % {"sent": header[:40], "current": etag(current_version)}],
            "current_version": current_version,
        })
    return current_version


class VersionedAPIMixin:
    """For viewsets of versioned records: ``ETag`` on detail GET (``retrieve``) and helpers for writes
    (``expected_version``, ``with_etag``)."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The record, with its version as ``ETag``."""
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        return self.with_etag(response, response.data.get("version"))

    def expected_version(self, request: Request, obj: Any) -> int | None:
        """The ``If-Match`` version for a write on ``obj`` (412 when stale; None when not sent)."""
        return if_match(request, obj.version)

    @staticmethod
    def with_etag(response: Response, version: int | None) -> Response:
        """``response`` with ``ETag`` set when ``version`` is known."""
        if version is not None:
            response["ETag"] = etag(int(version))
        return response


class PantauAPIMixin:
    """Mixin for every Pantau API view: uses ``exception_handler`` whatever the settings say."""

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        """Pantau's exception handler (Django ValidationError -> 400, PermissionDenied -> 403)."""
        return exception_handler


class PantauPagination(LimitOffsetPagination):
    """``?limit=`` (default 100, at most 500) and ``?offset=``; body ``{count, next, previous, results}``."""

    default_limit = 100
    max_limit = 500


def int_param(request: Request, name: str, *, min_value: int = 0, max_value: int = 2**63 - 1) -> int | None:
    """The integer query parameter ``name`` or None when absent or empty.

    Raises a DRF ValidationError (400, keyed by ``name``) for text or an out-of-range number, so junk never reaches
    the database (an out-of-range id would make PostgreSQL fail).
    """
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [_("A whole number is required.")]}) from None
    if not min_value <= value <= max_value:
        raise exceptions.ValidationError({name: [_("The number is out of range.")]})
    return value


def choice_param(request: Request, name: str, choices: Mapping[str, Any] | list[str] | tuple[str, ...]) -> str | None:
    """The query parameter ``name`` if it is one of ``choices``; None when absent; 400 otherwise."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if raw not in choices:
        raise exceptions.ValidationError(
            {name: [_("%(value)s is not a valid choice.") % {"value": raw[:40]}]}
        )
    return raw


MAX_ID = 2**63 - 1
"""The largest id a BigAutoField holds; larger numbers would make PostgreSQL raise instead of finding nothing."""


def int_or_404(value: Any) -> int:
    """``value`` as a positive id that the database can hold; Http404 for junk or out-of-range values."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= MAX_ID:
        raise Http404
    return number


class IdLookupMixin:
    """For viewsets addressed by a numeric id: routes only digits and answers 404 for ids out of range."""

    lookup_value_regex = r"[0-9]+"

    def get_object(self) -> Any:
        """The object by id within ``get_queryset()`` (the user's scope); 404 otherwise."""
        int_or_404(self.kwargs.get("pk"))  # type: ignore[attr-defined]
        return super().get_object()  # type: ignore[misc]


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, but a pathologically nested body (``[[[[...]]]]``) is a 400, not a RecursionError 500, and
    so is a control character other than tab, newline and carriage return in any key or string value (``"\u0000"``
    is valid JSON, but PostgreSQL refuses NUL in text): the one guard of ``core.middleware`` for JSON bodies."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        """Parse JSON; raises ParseError (400) on bad or too deeply nested JSON, or on a control character, keyed by
        where it is (``{"title": [reason]}``, ``{"indicator_scores[0].name": [reason]}``)."""
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply") from None
        problem = json_control_character(data)
        if problem is not None:
            where, message = problem
            raise ParseError({where or api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return data


def json_control_character(data: Any) -> tuple[str, str] | None:
    """(path, translated reason) of the first key or string value in parsed JSON ``data`` holding a control
    character (``typed_input.control_character``); the path names the field (``items[2].name``, "" for the whole
    body). None when there is none."""
    from pantau.core.middleware import refusal
    from pantau.core.typed_input import control_character, shown_value

    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            character = control_character(value)
            if character is not None:
                return path, refusal(_("the JSON value “%(name)s”") % {"name": path or "$"}, character)
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                character = control_character(str(key))
                if character is not None:
                    return shown_value(name), refusal(_("the JSON key “%(name)s”") % {"name": shown_value(name)},
                                                      character)
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return None
