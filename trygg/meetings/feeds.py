"""Serving the secret-address calendar feeds (see models.CalendarFeed and ical.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.audit.queries import cached_for_organisation
from trygg.meetings import access, ical, queries
from trygg.meetings.models import CalendarFeed
from trygg.meetings.services import feed_digest
from trygg.org.models import CommitteeMember, Person

HISTORY = dt.timedelta(days=5 * 366)  # five years back, and everything planned ahead


def feed_for_secret(secret: str, *, host: str, absolute: Callable[[str], str]) -> bytes | None:
    if not secret or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(digest=feed_digest(secret))
        .select_related("user", "committee__unit")
        .first()
    )
    if feed is None or not access.feed_still_allowed(feed):
        return None
    # Building a calendar costs about 1 ms per meeting in icalendar, so the body is kept until
    # the organisation's next change (every change of a meeting or membership is audit-logged).
    return cached_for_organisation(
        feed.organisation_id,
        f"ical:{feed.pk}:{host}:{get_language()}",
        lambda: _build(feed, host=host, absolute=absolute),
    )


def _build(feed: CalendarFeed, *, host: str, absolute: Callable[[str], str]) -> bytes:
    if feed.committee is not None:
        committee_ids = [feed.committee.pk]
        name = feed.committee.name
    else:
        person = Person.objects.filter(
            organisation_id=feed.organisation_id, user_id=feed.user_id
        ).first()
        committee_ids = (
            list(
                CommitteeMember.objects.current()
                .filter(person=person)
                .values_list("committee_id", flat=True)
            )
            if person
            else []
        )
        name = _("My committee meetings")
    rows = queries.feed_meetings(committee_ids, timezone.now() - HISTORY)
    return ical.build_feed(
        rows,
        name=f"Trygg – {name}",
        host=host.split(":")[0] or "trygg",
        meeting_url=lambda pk: absolute(reverse("meetings:meeting_detail", args=[pk])),
        cancelled_label=_("Cancelled"),
        video_label=_("Video link"),
    )
