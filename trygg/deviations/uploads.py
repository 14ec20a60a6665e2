"""Checking and cleaning photos and files attached to a report.

The type is read from the content, never from the name or the browser's claim. Images are
decoded and encoded again with Pillow: what is stored is only pixels, so location (GPS),
camera and other EXIF metadata, and anything hidden after the image data, are gone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024  # per file
MAX_FILES = 5
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2560  # photos are scaled down to this longest side

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str


def sniff(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _reencode(data: bytes, name: str) -> CleanFile:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The image %(name)s is too large.") % {"name": name})
            probe.load()
            image = ImageOps.exif_transpose(probe)  # keep the orientation, drop the EXIF
            has_alpha = image.mode in ("RGBA", "LA") or (
                image.mode == "P" and "transparency" in image.info
            )
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if has_alpha:
                image.convert("RGBA").save(out, format="PNG", optimize=True)
                content_type, suffix = "image/png", ".png"
            else:
                image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
                content_type, suffix = "image/jpeg", ".jpg"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("%(name)s could not be read as an image.") % {"name": name}
        ) from None
    stem = name.rsplit(".", 1)[0][:100] or "bilde"
    return CleanFile(name=f"{stem}{suffix}", content=out.getvalue(), content_type=content_type)


def clean_upload(upload: UploadedFile, *, keep_name: bool = True, index: int = 1) -> CleanFile:
    """Check one uploaded file and return what may be stored. Raises ValidationError."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:150]
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": name}
        )
    if kind == "application/pdf" and not keep_name:
        raise ValidationError(
            _("Anonymous reports take photos only: a document can carry its author's name.")
        )
    if not keep_name:
        # An anonymous reporter's file names may give them away ("IMG_Eva_0412.jpg").
        name = f"vedlegg-{index}"
    if kind == "application/pdf":
        base = name.rsplit(".", 1)[0] if "." in name else name
        return CleanFile(name=f"{base}.pdf", content=data, content_type=kind)
    return _reencode(data, name)


def clean_uploads(files: list[UploadedFile], *, keep_names: bool = True) -> list[CleanFile]:
    if len(files) > MAX_FILES:
        raise ValidationError(_("Attach at most %(n)s files.") % {"n": MAX_FILES})
    cleaned: list[CleanFile] = []
    errors: list[str] = []
    for index, upload in enumerate(files, start=1):
        try:
            cleaned.append(clean_upload(upload, keep_name=keep_names, index=index))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned
