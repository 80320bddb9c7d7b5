"""Metadata removal for every image Pelican copies to the output.

A photograph can name its taker and the camera's owner, and tell where and when
it was taken.  After Pelican's static generator has copied the attachments,
every image is rewritten from its source in ``content/`` (which is never
touched) without EXIF (GPS, camera, owner and artist names), XMP, IPTC,
comments or PNG text chunks, after turning it upright by its EXIF orientation.

How each format keeps its pixels:

- JPEG is decoded and encoded again with Pillow, with the original
  quantisation tables and subsampling (what ``quality="keep"`` does), the
  orientation applied first.
- PNG, GIF and WebP are rewritten chunk by chunk, keeping only what draws the
  image (pixels, palette, transparency, colour profile, animation), so their
  pixels stay bit-for-bit, animations and 16-bit depths included.  A PNG or
  WebP whose EXIF asks for a rotation is decoded, turned and encoded again
  with Pillow instead (losslessly, except a lossy WebP).
- TIFF is encoded again with Pillow from a clean copy of each frame.

Every result is opened again with Pillow and checked for leftover metadata.
The output depends only on the source's bytes, so two builds give the same
files.  An image that cannot be read or cleaned is removed from the output and
recorded as an ``unsafe-file`` problem of the build (naming the file and the
fix: it is not published), so the final step reports it and, in strict mode,
fails the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import stat
import struct
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin

from press import build
from press.files import atomic_write
from press.pipeline.carried import CarriedOutputs
from press.problems import error_text

logger = logging.getLogger(__name__)

# The folders of the output that hold attachments and pictures' sizes (contract §1's kinds).
CONTENT_KINDS = ("articles", "issues", "pages")

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"}
ORIENTATION = 0x0112
UNREADABLE = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    struct.error,
    Image.DecompressionBombError,
)
# What Pillow shows of metadata, in an image's ``info``.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "Raw profile type exif")


@dataclass(frozen=True)
class PublishedImage:
    """An attachment Pelican copies in this run (an image is then cleaned of its metadata)."""

    source: str  # in content/
    target: str  # in the output
    name: str  # as the site links to it
    is_image: bool = True


class ImageError(Exception):
    """An image that could not be cleaned; the message says why."""


def remember_static_images(generator) -> None:
    """Copy only what changed; note the images to clean (``static_generator_finalized``).

    An attachment whose source and output are as this press left them in the last
    build (``CACHE_PATH``: their stat, and the source's digest when only its stat
    changed) is not copied again: Pelican is handed the others only, so an unchanged
    output keeps its bytes and its modification time.
    """
    current = build.of(generator.settings)
    record = CarriedOutputs(current, generator.settings, generator.output_path)
    copied = []
    for static in generator.staticfiles:
        name = static.save_as.replace(os.sep, "/")
        entry = unchanged_output(
            record.previous(name), static.source_path, os.path.join(generator.output_path, static.save_as)
        )
        if entry is None:
            copied.append(static)
            unlink_shared(os.path.join(generator.output_path, static.save_as))
        else:
            record.keep(name, entry)
    record.save()  # the unchanged ones; clean_published_images adds those copied now
    if len(copied) != len(generator.staticfiles):
        generator.staticfiles = copied
        generator.context["staticfiles"] = copied
    published = [
        PublishedImage(
            static.source_path,
            os.path.join(generator.output_path, static.save_as),
            static.save_as.replace(os.sep, "/"),
            os.path.splitext(static.source_path)[1].lower() in IMAGE_EXTENSIONS,
        )
        for static in copied
    ]
    current.copied_images = sorted(published, key=lambda image: image.name)


def clean_published_images(pelican) -> None:
    """Rewrite every image copied in this run without its metadata (``finalized``); record
    what each attachment copied now was made from, for the next build.

    An image that cannot be cleaned is removed from the output and becomes an
    ``unsafe-file`` problem of the build; the final step reports it.
    """
    current = build.of(pelican.settings)
    record = CarriedOutputs(current, pelican.settings, pelican.output_path)
    cleaned = 0
    images, current.copied_images = current.copied_images, []
    copied = {image.name for image in images}
    for name in current.attachment_files - copied:
        entry = record.previous(name)  # left alone: as remember_static_images found it
        if entry is not None:
            record.keep(name, entry)
    for image in images:
        try:
            source = os.stat(image.source)
            with open(image.source, "rb") as handle:
                data = handle.read()
            if image.is_image:
                write_if_changed(image.target, clean_image(data))
        except (ImageError, *UNREADABLE) as error:
            if image.is_image:
                remove(image.target)
                record_uncleanable(current, image, error)
            continue
        cleaned += image.is_image
        entry = output_entry(source, hashlib.sha256(data).hexdigest(), image.target)
        if entry is not None:
            record.keep(image.name, entry)
    record.save()
    if cleaned:
        logger.info("Removed the metadata of %d published image(s)", cleaned)


def unlink_shared(path: str) -> None:
    """Remove an output that is a hard link (a release made from this output shares it):
    Pelican's copy would write into the file both folders hold."""
    with contextlib.suppress(OSError):
        if os.lstat(path).st_nlink > 1:
            os.remove(path)


def source_stat(found: os.stat_result) -> list[int]:
    # the change time too: a file put back with its old modification time has a new one
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def output_stat(found: os.stat_result) -> list[int]:
    return [found.st_size, found.st_mtime_ns, found.st_ino]


def output_stat_of(path: str) -> list[int] | None:
    """An output file's stat as the carried records compare it; None if it is not a plain file."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return output_stat(found) if stat.S_ISREG(found.st_mode) else None


def output_entry(source: os.stat_result, digest: str, target: str) -> dict | None:
    """What an output was made from, and its own stat as written; None if it is not there."""
    try:
        found = os.lstat(target)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return {"source": source_stat(source), "digest": digest, "output": output_stat(found)}


def unchanged_output(entry: dict | None, source: str, target: str) -> dict | None:
    """The record of an output still as recorded, made from a source still the same; else None.

    The output is only stat'ed; the source is read only when its stat changed.
    """
    if entry is None:
        return None
    try:
        found = os.lstat(target)
        source_found = os.stat(source)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or entry.get("output") != output_stat(found):
        return None
    if entry.get("source") == source_stat(source_found):
        return entry
    try:
        with open(source, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None
    return {**entry, "source": source_stat(source_found)} if digest == entry.get("digest") else None


def remove_withdrawn_files(pelican) -> None:
    """Remove from the kinds' folders of the output what this run did not put there (``finalized``).

    A build into a folder that is not emptied first (an incremental build, a publish from the
    previous release) would otherwise keep the attachments of an article since withdrawn,
    embargoed or deleted, and the sizes of a picture since replaced: files nobody approved.
    """
    current = build.of(pelican.settings)
    wanted = current.attachment_files | current.picture_files
    output = os.path.realpath(pelican.output_path)
    removed = 0
    for kind in CONTENT_KINDS:
        top = os.path.join(output, kind)
        if not os.path.isdir(top) or os.path.islink(top):
            continue
        for folder, subfolders, names in os.walk(top, topdown=False):
            for name in names:
                path = os.path.join(folder, name)
                if os.path.relpath(path, output).replace(os.sep, "/") not in wanted:
                    os.remove(path)
                    removed += 1
            for name in subfolders:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    os.remove(path)
                elif not os.listdir(path):
                    os.rmdir(path)
        if not os.listdir(top):
            os.rmdir(top)
    if removed:
        logger.info("Removed %d file(s) an earlier build left under the articles' folders", removed)


def record_uncleanable(current: build.Build, image: PublishedImage, error: Exception) -> None:
    """An image left out of the site: a problem of the build, named by its source file."""
    path = os.path.relpath(image.source, current.content_path).replace(os.sep, "/")
    parts = path.split("/")
    current.problems.add(
        "unsafe-file",
        key=parts[1] if len(parts) == 3 else "",
        lang="",
        path=path,
        message=(
            f"{path} could not be cleaned of its metadata ({error_text(error)}): it was left out of the "
            "site, so pages showing it have a broken image; save it again as a plain JPEG or PNG."
        ),
    )


# -- per format -------------------------------------------------------------------


def clean_image(data: bytes) -> bytes:
    """The image without its metadata, upright; raises ImageError or a Pillow error."""
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        orientation = image.getexif().get(ORIENTATION, 1)
        if kind in ("JPEG", "MPO"):
            cleaned = clean_jpeg(image)
        elif kind == "PNG":
            if orientation != 1 and not is_animated(image):
                cleaned = reencode(image, "PNG")
            else:
                cleaned = filter_png(data)
        elif kind == "GIF":
            cleaned = filter_gif(data)
        elif kind == "WEBP":
            if orientation != 1 and not is_animated(image):
                cleaned = reencode(image, "WEBP", lossless=b"VP8L" in webp_chunk_types(data))
            else:
                cleaned = filter_webp(data)
        elif kind == "TIFF":
            cleaned = clean_tiff(image)
        else:
            raise ImageError(f"it is a {kind} image, which the press does not publish")
    check_clean(cleaned)
    return cleaned


def is_animated(image: Image.Image) -> bool:
    return getattr(image, "n_frames", 1) > 1


def clean_jpeg(image: Image.Image) -> bytes:
    """Encoded again with the original tables and subsampling, upright, no metadata."""
    options = {
        "qtables": getattr(image, "quantization", None) or None,
        "subsampling": JpegImagePlugin.get_sampling(image),
        "progressive": bool(image.info.get("progressive")),
        "optimize": False,
    }
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    upright = ImageOps.exif_transpose(image)  # a copy, turned by its orientation
    upright.info = {}
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def reencode(image: Image.Image, kind: str, *, lossless: bool = True) -> bytes:
    """A still PNG or WebP turned upright and encoded again without metadata."""
    keep = {name: image.info[name] for name in ("icc_profile", "transparency") if name in image.info}
    upright = ImageOps.exif_transpose(image)
    upright.info = {}
    options: dict = {key: value for key, value in keep.items() if value is not None}
    if kind == "WEBP":
        options.pop("transparency", None)
        options.update(lossless=lossless, quality=100 if lossless else 90, exact=lossless)
    buffer = io.BytesIO()
    upright.save(buffer, kind, **options)
    return buffer.getvalue()


TIFF_COMPRESSIONS = {"raw", "tiff_lzw", "tiff_deflate", "tiff_adobe_deflate", "packbits"}


def clean_tiff(image: Image.Image) -> bytes:
    """Every frame copied without its tags, upright, and written again."""
    compression = image.info.get("compression")
    if compression not in TIFF_COMPRESSIONS:
        compression = "tiff_adobe_deflate"
    icc = image.info.get("icc_profile")
    frames = []
    for frame in ImageSequence.Iterator(image):
        upright = ImageOps.exif_transpose(frame)
        upright.info = {}
        frames.append(upright)
    options: dict = {"compression": compression}
    if icc:
        options["icc_profile"] = icc
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], **options)
    return buffer.getvalue()


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that draw the image; text (tEXt, zTXt, iTXt), eXIf, tIME and private chunks go.
PNG_KEEP = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCV", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip


def filter_png(data: bytes) -> bytes:
    if not data.startswith(PNG_SIGNATURE):
        raise ImageError("not a PNG file")
    kept = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise ImageError("the PNG is truncated")
        # an unknown critical chunk (upper-case first letter) cannot be dropped
        if kind in PNG_KEEP or kind[:1].isupper():
            kept.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return b"".join(kept)


GIF_KEPT_APPLICATIONS = {b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"}


def filter_gif(data: bytes) -> bytes:
    """Drop comment blocks and application blocks (XMP) other than looping and colour."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ImageError("not a GIF file")
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    kept = [data[:position]]
    while True:
        if position >= len(data):
            raise ImageError("the GIF is truncated")
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            kept.append(b"\x3b")
            break
        if introducer == 0x21:  # extension: label, then data sub-blocks
            label = data[position + 1]
            end = skip_sub_blocks(data, position + 2)
            keep = label in (0xF9, 0x01)  # graphic control, plain text
            if label == 0xFF:
                keep = data[position + 3 : position + 3 + data[position + 2]] in GIF_KEPT_APPLICATIONS
            if keep:
                kept.append(data[position:end])
            position = end
        elif introducer == 0x2C:  # image: descriptor, local colour table, LZW data
            local = data[position + 9]
            start = position + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            end = skip_sub_blocks(data, start + 1)
            kept.append(data[position:end])
            position = end
        else:
            raise ImageError(f"unexpected GIF block 0x{introducer:02x}")
    return b"".join(kept)


def skip_sub_blocks(data: bytes, position: int) -> int:
    while True:
        if position >= len(data):
            raise ImageError("the GIF is truncated")
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
VP8X_EXIF = 0x08
VP8X_XMP = 0x04


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ImageError("not a WebP file")
    chunks = []
    position = 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        end = position + 8 + size
        if end > len(data):
            raise ImageError("the WebP is truncated")
        chunks.append((kind, data[position + 8 : end]))
        position = end + (size & 1)
    return chunks


def webp_chunk_types(data: bytes) -> set[bytes]:
    return {kind for kind, _payload in webp_chunks(data)}


def filter_webp(data: bytes) -> bytes:
    body = []
    for kind, payload in webp_chunks(data):
        if kind not in WEBP_KEEP:
            continue
        if kind == b"VP8X":
            payload = bytes([payload[0] & ~(VP8X_EXIF | VP8X_XMP) & 0xFF]) + payload[1:]
        body.append(kind + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) & 1))
    riff = b"WEBP" + b"".join(body)
    return b"RIFF" + struct.pack("<I", len(riff)) + riff


# TIFF keeps its image structure in tags; any other tag is metadata.
TIFF_STRUCTURE = {
    254, 255, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320,
    322, 323, 324, 325, 338, 339, 347, 530, 531, 532, 34675,
}  # fmt: skip


def check_clean(data: bytes) -> None:
    """Open the result again: it must decode and show no metadata."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        left = [key for key in METADATA_KEYS if image.info.get(key)]
        if image.format == "TIFF":
            extra = sorted(set(image.tag_v2) - TIFF_STRUCTURE)
            if extra:
                left.append(f"TIFF tags {extra}")
        elif image.getexif():
            left.append("EXIF")
        if getattr(image, "text", None):
            left.append("text chunks")
        if left:
            raise ImageError(f"metadata left after cleaning: {', '.join(left)}")


# -- files ------------------------------------------------------------------------


def write_if_changed(path: str, data: bytes) -> None:
    """Replace ``path`` (never writing through a link to the source)."""
    try:
        with open(path, "rb") as handle:
            if handle.read() == data and not os.path.islink(path) and os.stat(path).st_nlink == 1:
                return
    except OSError:
        pass
    atomic_write(path, data)


def remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


# -- the article's picture (Image), in the sizes a page asks for --------------------

#: Widths of an ``Image`` in ``srcset`` (never wider than the picture itself).
PICTURE_WIDTHS = (480, 960, 1600)


@dataclass(frozen=True)
class PictureSizes:
    """An article's picture made in a few widths, as JPEG and WebP: site paths and pixel sizes."""

    target: str  # the size for ``src``
    srcset: tuple[tuple[str, int], ...]  # (site path, width) of each JPEG
    webp: tuple[tuple[str, int], ...]
    width: int
    height: int


def picture_sizes(source: str, site_path: str, output_path: str, cache: str | None = None) -> PictureSizes:
    """Write the sizes of the picture at ``source`` beside ``site_path`` in the output.

    The files are named by the source's content and width (``photo.1a2b3c4d.480w.jpg``),
    so a picture is resized once and an unchanged one is never written again. They
    are made from the pixels alone: no metadata survives. ``cache`` (a folder under
    CACHE_PATH) keeps them between builds, so a publish into a new release copies them.
    Raises ImageError or a Pillow error when the picture cannot be read.
    """
    with open(source, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()[:8]
    stem = os.path.splitext(site_path)[0]
    with Image.open(io.BytesIO(data)) as opened:  # the header only: sizes made before are not made again
        width, height = opened.size
        if opened.getexif().get(ORIENTATION) in (
            5,
            6,
            7,
            8,
        ):  # turned a quarter: upright, it is the other way
            width, height = height, width
    widths = sorted({w for w in PICTURE_WIDTHS if w < width} | {min(width, PICTURE_WIDTHS[-1])})
    names = [
        (f"{stem}.{digest}.{wanted}w.{suffix}", wanted, kind)
        for wanted in widths
        for suffix, kind in (("jpg", "JPEG"), ("webp", "WEBP"))
    ]
    missing = [name for name in names if not os.path.exists(os.path.join(output_path, name[0]))]
    if cache and missing:
        missing = [name for name in missing if not copied_from_cache(cache, output_path, name[0])]
    if missing:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            rgb = ImageOps.exif_transpose(opened).convert("RGB")
        resized: dict[int, Image.Image] = {}
        for target, wanted, kind in missing:
            if wanted not in resized:
                size = (wanted, max(1, round(height * wanted / width)))
                resized[wanted] = rgb if size == rgb.size else rgb.resize(size, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized[wanted].save(buffer, kind, quality=82, **({"optimize": True} if kind == "JPEG" else {}))
            atomic_write(os.path.join(output_path, target), buffer.getvalue())
            if cache:
                # a cache that cannot be written costs the next build time, not this one its pictures
                with contextlib.suppress(OSError):
                    atomic_write(os.path.join(cache, os.path.basename(target)), buffer.getvalue())
    jpegs = [(target, wanted) for target, wanted, kind in names if kind == "JPEG"]
    webps = [(target, wanted) for target, wanted, kind in names if kind == "WEBP"]
    shown = jpegs[min(1, len(jpegs) - 1)][0]
    first_width = widths[-1]
    return PictureSizes(
        shown, tuple(jpegs), tuple(webps), first_width, max(1, round(height * first_width / width))
    )


def copied_from_cache(cache: str, output_path: str, target: str) -> bool:
    """Copy a size made by an earlier build (named by content) into the output, if the cache has it."""
    try:
        with open(os.path.join(cache, os.path.basename(target)), "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    atomic_write(os.path.join(output_path, target), data)
    return True
