"""Plain make_<model>() helpers for the deviation tests."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from trygg.deviations import services
from trygg.deviations.models import Deviation


def make_deviation(world, *, unit=None, reporter="employee", **kw) -> Deviation:  # type: ignore[no-untyped-def]
    args = dict(
        organisation=world.org,
        reporter=getattr(world, reporter) if isinstance(reporter, str) else reporter,
        unit=unit or world.ward,
        category=Deviation.Category.NEAR_MISS,
        title="Vått gulv",
        description="Sklei nesten på badet",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        severity=Deviation.Severity.MEDIUM,
    )
    args.update(kw)
    return services.report_deviation(**args)


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF with a GPS position and a camera name."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = {1: "N", 2: (59.0, 54.0, 0.0), 3: "E", 4: (10.0, 45.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def listed_ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    """The case ids in the rows of the handling list's table, in order."""
    import re

    return [
        int(pk)
        for pk in re.findall(
            r'<tr>\s*<td data-label="[^"]*"><a href="/avvik/(\d+)/"', response.content.decode()
        )
    ]
