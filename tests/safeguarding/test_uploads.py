"""Screenshot validation: only real images, re-encoded, with no metadata left."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from safeguarding import uploads
from tests.safeguarding.factories import image_bytes, jpeg_with_gps, upload


def _reopen(clean):
    return Image.open(io.BytesIO(clean.content.read()))


def test_gps_exif_is_stripped_from_a_jpeg():
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "fixture must carry GPS"
    clean = uploads.clean_image(upload(data, "photo.jpg", "image/jpeg"))
    out = _reopen(clean)
    assert out.format == "JPEG"
    exif = out.getexif()
    assert not exif.get_ifd(0x8825)
    assert 0x0110 not in exif
    assert b"Phone X" not in clean.content.open().read()
    assert (clean.width, clean.height) == (64, 48)


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "home address 12 Example Road")
    data = image_bytes("PNG", pnginfo=info)
    clean = uploads.clean_image(upload(data))
    assert b"Example Road" not in clean.content.read()
    assert clean.content_type == "image/png"


def test_webp_is_accepted_and_stays_webp():
    clean = uploads.clean_image(upload(image_bytes("WEBP"), "s.webp", "image/webp"))
    assert _reopen(clean).format == "WEBP"
    assert clean.content.name.endswith(".webp")


def test_html_polyglot_behind_a_png_header_is_refused():
    data = image_bytes("PNG") + b"<html><script>alert(document.cookie)</script></html>"
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(data, "cute.png"))
    assert err.value.code == "polyglot"


def test_html_disguised_as_an_image_is_refused():
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(b"<!doctype html><h1>hi</h1>", "cat.png"))
    assert err.value.code == "not_image"


def test_svg_and_gif_are_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        uploads.clean_image(upload(svg, "a.svg", "image/svg+xml"))
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(image_bytes("GIF"), "a.gif", "image/gif"))
    assert err.value.code == "not_image"


def test_plain_text_is_refused():
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(b"just some words", "notes.txt", "text/plain"))
    assert err.value.code == "not_image"


def test_truncated_image_is_refused_as_broken():
    data = image_bytes("PNG", size=(200, 200))
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(data[: len(data) // 2]))
    assert err.value.code == "broken"


def test_huge_dimensions_are_refused_before_decoding():
    buf = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buf, "PNG")  # 30 megapixels, a few kB on disk
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(buf.getvalue()))
    assert err.value.code == "too_many_pixels"


def test_decompression_bomb_is_refused():
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")  # 400 megapixels: Pillow's bomb guard
    assert len(buf.getvalue()) < 5 * 1024 * 1024
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(buf.getvalue()))
    assert err.value.code == "too_many_pixels"


def test_file_over_the_size_limit_is_refused(settings):
    settings.SAFEGUARDING_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(image_bytes("PNG", size=(300, 300), color=(1, 2, 3)) + b"\0" * 2000))
    assert err.value.code == "too_large"


def test_more_than_three_files_are_refused():
    files = [upload(image_bytes("PNG"), f"s{i}.png") for i in range(4)]
    with pytest.raises(ValidationError) as err:
        uploads.clean_images(files)
    assert "at most 3" in err.value.messages[0]


def test_one_bad_file_refuses_the_whole_batch():
    files = [upload(image_bytes("PNG")), upload(b"GIF89a nope", "x.gif")]
    with pytest.raises(ValidationError):
        uploads.clean_images(files)


# --- bounded before decoding (issue 12) ------------------------------------------------------


def _forged_png(width, height) -> bytes:
    """A real 1 × 1 PNG whose IHDR claims `width` × `height` (CRC fixed up): 70 bytes."""
    import struct
    import zlib

    data = bytearray(image_bytes("PNG", size=(1, 1)))
    ihdr = 8 + 8  # signature, then length + "IHDR"
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


@pytest.fixture
def forbid_decoding(monkeypatch):
    """Call it once the test image is built: from then on, decoding any pixels fails the test."""
    from PIL import ImageFile

    def forbidden(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    def install():
        monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)
        monkeypatch.setattr(Image.Image, "load", forbidden)

    return install


@pytest.mark.parametrize("size", [(20000, 20000), (4001, 4000), (1, 30000)])
def test_forged_header_is_refused_fast_from_the_header_alone(forbid_decoding, size):
    import time

    data = _forged_png(*size)
    assert len(data) < 100
    forbid_decoding()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(data, "big.png"))
    assert time.perf_counter() - started < 0.5
    assert err.value.code == "too_many_pixels"
    assert "too big" in err.value.messages[0] and "What you wrote has been kept" in err.value.messages[0]


def test_a_real_20000_square_png_is_refused_without_decoding(forbid_decoding):
    import time

    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    forbid_decoding()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as err:
        uploads.clean_image(upload(buf.getvalue(), "huge.png"))
    assert time.perf_counter() - started < 0.5
    assert err.value.code == "too_many_pixels"


def test_the_limit_is_an_area_of_4000_by_4000(settings):
    settings.SAFEGUARDING_MAX_IMAGE_PIXELS = 16_000_000
    assert uploads.within_pixel_limits(4000, 4000)
    assert not uploads.within_pixel_limits(4001, 4000)
    assert uploads.within_pixel_limits(1080, 12000)  # a long scrolling chat screenshot
    assert not uploads.within_pixel_limits(1, 20001)


def test_the_shipped_setting_is_4000_by_4000():
    from django.conf import settings as shipped

    assert shipped.SAFEGUARDING_MAX_IMAGE_PIXELS == 4000 * 4000
