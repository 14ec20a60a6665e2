"""`{{ value|num }}`: a goal's number the Norwegian way (5,4), whatever the language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from trygg.goals.measure import number

register = template.Library()


@register.filter
def num(value: Decimal | None) -> str:
    return number(value)
