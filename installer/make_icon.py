"""Draw the app icon (resources/icons/icon.png and icon.ico).

Run once by a developer; the images are committed so that builds need neither
this script nor a CJK font. A red rounded square with white "两新" text: plain,
readable at 48 px, and free of any emblem. Small sizes show only "新" because
two glyphs blur into a smudge below 32 px.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED = QColor("#C8161D")
FONT_FAMILIES = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", "SimHei"]


def draw(size: int) -> QImage:
    """One square icon image of `size` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = size * 0.04
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(box, size * 0.2, size * 0.2)
    painter.fillPath(path, RED)
    text = "新" if size < 32 else "两新"
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setBold(True)
    font.setPixelSize(int(size * (0.68 if len(text) == 1 else 0.38)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def to_pil(image: QImage) -> Image.Image:
    """Convert through PNG bytes: simplest exact route between the two libraries."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def main() -> int:
    """Write icon.png (256 px) and a multi-size icon.ico into resources/icons/."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {size: to_pil(draw(size)) for size in SIZES}
    images[256].save(RESOURCES / "icon.png", optimize=True)
    largest = images[256]
    largest.save(RESOURCES / "icon.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=[images[s] for s in SIZES if s != 256])
    del app
    print(f"wrote {RESOURCES / 'icon.png'} and icon.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
