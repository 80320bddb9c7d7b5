"""Published images carry no metadata (issue: readers' privacy), and stay upright and intact."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, ImageChops, PngImagePlugin, TiffImagePlugin
from PIL.ExifTags import GPS, IFD, Base
from sitebuild import article

from press.pipeline.images import clean_image

ARTIST = "Jane Q. Comrade"
OWNER = "Branch Seven Camera"
COMMENT = b"taken at the secret meeting"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Q. Comrade</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)
# Bytes that must not survive in any published copy.
SECRETS = (ARTIST.encode(), OWNER.encode(), COMMENT, b"Canon", b"xmpmeta")


def gradient(size=(64, 48), mode="RGB") -> Image.Image:
    """A picture whose rotation is visible: every pixel differs from its mirror."""
    width, height = size
    image = Image.new("RGB", size)
    for y in range(height):
        for x in range(width):
            image.putpixel((x, y), (x * 255 // width, y * 255 // height, (x + y) * 255 // (width + height)))
    return image.convert(mode)


def identifying_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Artist] = ARTIST
    exif[Base.Make] = "Canon"
    exif[Base.Model] = "Canon EOS 5D"
    exif[Base.Copyright] = ARTIST
    exif[Base.Orientation] = orientation
    exif.get_ifd(IFD.Exif)[Base.CameraOwnerName] = OWNER
    exif.get_ifd(IFD.Exif)[Base.BodySerialNumber] = "0123456789"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (59.0, 19.0, 46.0)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (18.0, 4.0, 7.0)
    return exif


def jpeg_with_gps(orientation: int = 1) -> bytes:
    buffer = io.BytesIO()
    gradient().save(
        buffer,
        "JPEG",
        quality=90,
        exif=identifying_exif(orientation),
        comment=COMMENT,
        xmp=XMP,
    )
    return buffer.getvalue()


def png_with_text(orientation: int = 1) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", ARTIST)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Comment", COMMENT.decode(), zip=True)
    buffer = io.BytesIO()
    gradient(mode="RGBA").save(buffer, "PNG", pnginfo=info, exif=identifying_exif(orientation))
    return buffer.getvalue()


def animated_gif_with_comment() -> bytes:
    frames = [gradient().convert("P"), gradient().rotate(180).convert("P")]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200], loop=0, comment=COMMENT
    )
    return buffer.getvalue()


def webp_with_exif(lossless: bool = True, orientation: int = 1) -> bytes:
    buffer = io.BytesIO()
    gradient().save(buffer, "WEBP", lossless=lossless, exif=identifying_exif(orientation), xmp=XMP)
    return buffer.getvalue()


def tiff_with_tags() -> bytes:
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[Base.Artist] = ARTIST
    tags[Base.Make] = "Canon"
    tags[Base.ImageDescription] = COMMENT.decode()
    buffer = io.BytesIO()
    gradient().save(buffer, "TIFF", tiffinfo=tags, compression="tiff_lzw")
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> None:
    for secret in SECRETS:
        assert secret not in data, secret
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if image.format == "TIFF":  # a TIFF's tags are its EXIF: only the image structure may stay
            assert not {Base.Artist, Base.Make, Base.Model, Base.ImageDescription, IFD.GPSInfo} & set(exif)
        else:
            assert not exif, dict(exif)
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Author", "Comment"):
            assert key not in image.info, key
        assert not getattr(image, "text", None)


def pixels(data: bytes, index: int = 0) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.seek(index)
        return image.convert("RGBA")


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    difference = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).convert("L")
    histogram = difference.histogram()
    return sum(level * count for level, count in enumerate(histogram)) / sum(histogram)


# -- the whole build --------------------------------------------------------------


def photo_tree(image: bytes, name: str = "photo.jpg") -> dict[str, str | bytes]:
    return {
        "articles/meeting/en.md": article(
            "The Meeting",
            f"The branch met.\n\n![The branch meeting]({{static}}{name})\n",
            date="2026-03-01",
        ),
        f"articles/meeting/{name}": image,
    }


def test_published_jpeg_has_no_gps_or_names_and_the_source_keeps_them(build_site):
    source = jpeg_with_gps()
    built = build_site(photo_tree(source), languages=["en"])
    assert built.returncode == 0, built.log
    published = (built.output / "articles/meeting/photo.jpg").read_bytes()

    assert_no_metadata(published)
    with Image.open(io.BytesIO(published)) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert IFD.GPSInfo not in image.getexif()
    assert mean_difference(pixels(published), pixels(source)) < 2.0

    # the file in content/ is left exactly as it was, metadata and all
    kept = (built.content / "articles/meeting/photo.jpg").read_bytes()
    assert kept == source
    with Image.open(io.BytesIO(kept)) as image:
        exif = image.getexif()
        assert exif[Base.Artist] == ARTIST
        assert exif.get_ifd(IFD.GPSInfo)[GPS.GPSLatitudeRef] == "N"
        assert exif.get_ifd(IFD.Exif)[Base.CameraOwnerName] == OWNER

    page = built.page("en/meeting/index.html")
    assert 'src="../../articles/meeting/photo.jpg"' in page


def test_orientation_is_applied_before_the_exif_goes(build_site):
    source = jpeg_with_gps(orientation=6)  # "rotate 90° clockwise to display"
    built = build_site(photo_tree(source), languages=["en"])
    published = (built.output / "articles/meeting/photo.jpg").read_bytes()
    assert_no_metadata(published)
    upright = pixels(source).rotate(-90, expand=True)
    with Image.open(io.BytesIO(published)) as image:
        assert image.size == (48, 64)
    assert mean_difference(pixels(published), upright) < 3.0


def test_two_builds_publish_identical_images(build_site):
    files = photo_tree(jpeg_with_gps(orientation=3))
    first = build_site(files, languages=["en"], name="first")
    second = build_site(files, languages=["en"], name="second")
    digests = [
        hashlib.sha256((built.output / "articles/meeting/photo.jpg").read_bytes()).hexdigest()
        for built in (first, second)
    ]
    assert digests[0] == digests[1]


def test_every_image_format_is_cleaned_in_the_build(build_site):
    files = {
        "articles/meeting/en.md": article("The Meeting", "The branch met.\n", date="2026-03-01"),
        "articles/meeting/a.JPEG": jpeg_with_gps(),
        "articles/meeting/b.png": png_with_text(),
        "articles/meeting/c.gif": animated_gif_with_comment(),
        "articles/meeting/d.webp": webp_with_exif(),
        "articles/meeting/e.tiff": tiff_with_tags(),
    }
    built = build_site(files, languages=["en"])
    assert built.returncode == 0, built.log
    for name in ("a.JPEG", "b.png", "c.gif", "d.webp", "e.tiff"):
        published = (built.output / "articles/meeting" / name).read_bytes()
        assert_no_metadata(published)
        assert (built.content / "articles/meeting" / name).read_bytes() == files[f"articles/meeting/{name}"]


# -- each format keeps its pixels -------------------------------------------------


@pytest.mark.parametrize(
    ("make", "frames"),
    [(png_with_text, 1), (animated_gif_with_comment, 2), (webp_with_exif, 1), (tiff_with_tags, 1)],
    ids=["png", "gif", "webp", "tiff"],
)
def test_lossless_formats_keep_every_pixel(make, frames):
    source = make()
    cleaned = clean_image(source)
    assert_no_metadata(cleaned)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert getattr(image, "n_frames", 1) == frames
    for index in range(frames):
        assert pixels(cleaned, index).tobytes() == pixels(source, index).tobytes()


@pytest.mark.parametrize("make", [png_with_text, webp_with_exif], ids=["png", "webp"])
def test_png_and_webp_are_turned_upright_losslessly(make):
    source = make(orientation=8)  # "rotate 90° counter-clockwise to display"
    cleaned = clean_image(source)
    assert_no_metadata(cleaned)
    assert pixels(cleaned).tobytes() == pixels(source).rotate(90, expand=True).tobytes()


def test_animated_gif_keeps_its_timing():
    cleaned = clean_image(animated_gif_with_comment())
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.info.get("loop") == 0
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            durations.append(image.info["duration"])
    assert durations == [100, 200]


def test_lossy_webp_is_stripped_without_recompression():
    source = webp_with_exif(lossless=False)
    cleaned = clean_image(source)
    assert_no_metadata(cleaned)
    assert pixels(cleaned).tobytes() == pixels(source).tobytes()
    assert len(cleaned) < len(source)


def test_cleaning_is_idempotent():
    once = clean_image(png_with_text())
    assert clean_image(once) == once


# -- failures ---------------------------------------------------------------------


def test_an_unreadable_image_is_left_out_and_fails_only_strict_builds(build_site):
    files = photo_tree(b"\xff\xd8\xff\xe0 this is not really a JPEG " + ARTIST.encode())
    lenient = build_site(files, languages=["en"], name="lenient")
    assert lenient.returncode == 0, lenient.log
    assert not lenient.exists("articles/meeting/photo.jpg")
    assert "photo.jpg could not be cleaned of its metadata" in lenient.log
    assert "Traceback" not in lenient.log
    assert lenient.entries() == {("unsafe-file", "meeting", "", "articles/meeting/photo.jpg")}

    strict = build_site(files, languages=["en"], strict=True, name="strict")
    assert strict.returncode == 1
    assert strict.log.count("Strict build failed") == 1
    assert strict.entries() == lenient.entries()  # the report was written before the exit
    assert not strict.exists("articles/meeting/photo.jpg")
