"""Pieces every resource of the API uses: pagination, input schemas, choices by id."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import ConfigDict

from trygg.api.errors import invalid, not_a_choice
from trygg.lib.typing import AnyUser
from trygg.org import access
from trygg.org.models import Unit

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class Pagination(PageNumberPagination):
    """`?page=2&page_size=50`; `page_size` is capped at 100. Answers `{"items": […], "count": n}`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


class UnitRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str


class Input(Schema):
    """A request body. Unknown fields are refused, so a misspelt field is not silently lost."""

    model_config = ConfigDict(extra="forbid")


def changes(payload: Schema, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH body sets. Null is refused for fields that cannot be empty."""
    data = payload.model_dump(exclude_unset=True)
    nulls = {name for name, value in data.items() if value is None and name not in nullable}
    if nulls:
        raise invalid(**{name: _("This field cannot be null.") for name in sorted(nulls)})
    return data


def choice(queryset: QuerySet[M], pk: int, field: str) -> M:
    """The row `pk` among `queryset` (the choices the HTML form offers), or a 422 on `field`."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise not_a_choice(field)
    return found


def unit_choice(user: AnyUser, pk: int, field: str, *, active_only: bool = False) -> Unit:
    units = access.visible_units(user)
    if active_only:
        units = units.filter(is_active=True)
    return choice(units, pk, field)
