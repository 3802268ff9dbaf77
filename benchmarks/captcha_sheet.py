"""Fifty captchas on one contact sheet, to check them by eye (issue 10, point 6).

    .venv/bin/python benchmarks/captcha_sheet.py [--count 50] [--out PATH]

Draws challenges from the portal's alphabet with the portal's image code (no database, no
server), at their real size, each with its answer in small grey type underneath. Read the
images first, then compare: a misread, a cut letter or two touching letters is a bug.
Writes test-artifacts/captcha-sheet.png by default and prints the path.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpf_portal.settings")
os.environ.setdefault("PORTAL_DEMO", "1")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw  # noqa: E402

from accounts import captcha_image, captcha_text  # noqa: E402

COLUMNS = 5
LABEL = 16  # pixels under each image for its answer
PAD = 10


def sheet(count: int) -> Image.Image:
    cell_w, cell_h = captcha_image.WIDTH + PAD, captcha_image.HEIGHT + LABEL + PAD
    rows = -(-count // COLUMNS)
    out = Image.new("RGB", (COLUMNS * cell_w + PAD, rows * cell_h + PAD), "#eeeeee")
    pen = ImageDraw.Draw(out)
    for index in range(count):
        text, _answer = captcha_text.challenge()
        x = PAD + (index % COLUMNS) * cell_w
        y = PAD + (index // COLUMNS) * cell_h
        out.paste(captcha_image.draw(text, f"sheet-{index}-{text}").image, (x, y))
        pen.text((x + 2, y + captcha_image.HEIGHT + 2), f"{index + 1:02d}  {text}", fill="#777777")
    return out


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "captcha-sheet.png")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet(args.count).save(args.out)
    print(args.out)
    return args.out


if __name__ == "__main__":
    main()
