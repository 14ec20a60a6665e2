"""Pages for deviations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trygg.deviations import access


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = access.get_deviation_for_user(request.user, pk)
    return render(request, "deviations/detail.html", {"deviation": deviation})
