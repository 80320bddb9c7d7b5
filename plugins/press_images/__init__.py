"""press_images: published copies of images carry no metadata (EXIF, GPS, XMP, IPTC, comments)."""

from pelican import signals

from .images import arm_strict_gate, clean_published_images, remember_static_images


def register():
    signals.static_generator_finalized.connect(remember_static_images)
    signals.finalized.connect(clean_published_images)
    signals.initialized.connect(arm_strict_gate)
