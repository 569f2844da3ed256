"""Small previews of image attachments, made on the server.

A thumbnail is made the first time it is asked for, through the same access-checked, logged selector as the file
itself, and kept beside the file in the same encrypted storage (`<file>.thumb.png`), so it is made once. It is a new
image: no EXIF (a photo's GPS position and camera stay out of it), at most THUMB_SIZE pixels a side. A file that is
no image, or an image Pillow cannot read (broken, too large, a disguised file), gets the generic icon instead — never
an error page. Deleting an attachment (retention, a mistake) deletes its thumbnail with it (`on_attachment_deleted`).
"""

import io
import logging
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Attachment

logger = logging.getLogger(__name__)

THUMB_SIZE = (240, 240)
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Larger images than this are not decoded at all (Pillow's own guard against a decompression bomb is higher).
MAX_PIXELS = 40_000_000
ICON = Path(__file__).resolve().parent.parent / "static" / "meldroute" / "file-icon.svg"


def is_image(attachment: Attachment) -> bool:
    return attachment.content_type in IMAGE_TYPES


def thumbnail_name(attachment: Attachment) -> str:
    return f"{attachment.file.name}.thumb.png"


def make_thumbnail(data: bytes) -> bytes | None:
    """A PNG of at most THUMB_SIZE from the image bytes; None when they are no image Pillow can safely read."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                return None
            opened.draft("RGB", THUMB_SIZE)  # JPEG: decode at a reduced size
            image: Image.Image = ImageOps.exif_transpose(opened)  # the right way up, before EXIF is dropped
            image.thumbnail(THUMB_SIZE)
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)  # a new file: no EXIF, no text chunks carried over
            return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError,
            EOFError) as error:
        logger.info("thumbnail not made: %s", type(error).__name__)  # never the file's name: it may carry a name
        return None


def thumbnail_of(attachment: Attachment) -> bytes | None:
    """The stored thumbnail, made and stored on first use; None for a file without one (the caller shows the icon).
    The caller has read `attachment` through intake.selectors.get_attachment_for (scoped, access-logged)."""
    if not is_image(attachment) or not attachment.file:
        return None
    storage, name = attachment.file.storage, thumbnail_name(attachment)
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            stored: bytes = handle.read()
            return stored
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None
    thumb = make_thumbnail(data)
    if thumb is not None:
        storage.save(name, ContentFile(thumb))
    return thumb


def icon() -> bytes:
    return ICON.read_bytes()


def on_attachment_deleted(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    """Connected to post_delete of Attachment: the thumbnail goes with the file."""
    if instance.file:
        storage, name = instance.file.storage, thumbnail_name(instance)
        if storage.exists(name):
            storage.delete(name)
