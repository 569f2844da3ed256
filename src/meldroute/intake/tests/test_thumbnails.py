"""Issue 14: thumbnails of image attachments, made on the server, under the file's own access rule and log."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from tests.factories import PDF_BYTES, make_signal

from meldroute.audit.models import AccessLogEntry
from meldroute.intake import thumbnails
from meldroute.intake.models import Attachment

pytestmark = pytest.mark.django_db


def photo_bytes(size=(1200, 800), exif_gps=True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_gps:
        exif[0x010F] = "CameraMaker"  # Make
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def signal_with(world, name, data, content_type):
    signal = make_signal(world.melder_a, uploads=[SimpleUploadedFile(name, data, content_type=content_type)])
    return signal, Attachment.objects.get(signal=signal)


def thumb_url(attachment):
    return reverse("intake:attachment_thumbnail", args=[attachment.uuid])


def test_an_image_gets_a_small_png_thumbnail_made_once_without_exif(client, world):
    _signal, attachment = signal_with(world, "foto.jpg", photo_bytes(), "image/jpeg")
    client.force_login(world.af_a)
    response = client.get(thumb_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert max(image.size) <= 240 and image.size == (240, 160)
    assert not image.getexif() and b"CameraMaker" not in response.content
    storage = attachment.file.storage
    stored = thumbnails.thumbnail_name(attachment)
    assert storage.exists(stored)
    with open(storage.path(stored), "rb") as raw:  # kept encrypted beside the file, like the file itself
        assert not raw.read().startswith(b"\x89PNG")
    assert client.get(thumb_url(attachment)).content == response.content  # the stored one, not made again


def test_the_thumbnail_is_access_logged_like_the_file(client, world):
    _signal, attachment = signal_with(world, "foto.jpg", photo_bytes(), "image/jpeg")
    client.force_login(world.af_a)
    client.get(thumb_url(attachment))
    entry = AccessLogEntry.objects.get(target_uuid=attachment.uuid)
    assert entry.actor == world.af_a and entry.target_type == "intake.attachment" and "miniatuur" in entry.purpose


@pytest.mark.parametrize("who", ["af_b", "af_c", "melder_b", "partner", "burgemeester"])
def test_whoever_may_not_open_the_file_gets_404_and_nothing_is_logged_or_made(client, world, who):
    _signal, attachment = signal_with(world, "foto.jpg", photo_bytes(), "image/jpeg")
    client.force_login(getattr(world, who))
    assert client.get(thumb_url(attachment)).status_code == 404
    assert not AccessLogEntry.objects.filter(target_uuid=attachment.uuid).exists()
    assert not attachment.file.storage.exists(thumbnails.thumbnail_name(attachment))


def test_a_pdf_gets_the_file_icon(client, world):
    _signal, attachment = signal_with(world, "brief.pdf", PDF_BYTES, "application/pdf")
    client.force_login(world.af_a)
    response = client.get(thumb_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_a_broken_image_gets_the_icon_not_an_error(client, world):
    broken = photo_bytes()[:300]  # the header of a JPEG, the rest cut off
    _signal, attachment = signal_with(world, "kapot.jpg", broken, "image/jpeg")
    client.force_login(world.af_a)
    response = client.get(thumb_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert thumbnails.make_thumbnail(b"not an image at all") is None


def test_an_image_too_large_to_decode_safely_gets_no_thumbnail(world, monkeypatch):
    monkeypatch.setattr(thumbnails, "MAX_PIXELS", 100)
    assert thumbnails.make_thumbnail(photo_bytes(size=(20, 20))) is None


def test_deleting_the_attachment_deletes_its_thumbnail(client, world):
    _signal, attachment = signal_with(world, "foto.jpg", photo_bytes(), "image/jpeg")
    client.force_login(world.af_a)
    client.get(thumb_url(attachment))
    storage, name = attachment.file.storage, thumbnails.thumbnail_name(attachment)
    assert storage.exists(name)
    attachment.delete()
    assert not storage.exists(name)


def test_the_signal_page_shows_the_thumbnail(client, world):
    signal, attachment = signal_with(world, "foto.jpg", photo_bytes(), "image/jpeg")
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert f'src="{thumb_url(attachment)}"' in page and 'class="mr-thumb"' in page
