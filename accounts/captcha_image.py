"""The captcha's image (issue 10, point 6): letters that never overlap, readable at 360 px.

django-simple-captcha 0.7.0 pastes each rotated letter right after the previous one and lets
its noise lines cross them; past the image's width, letters are cut or pushed onto each other.
Here each character gets its own cell: rotated a little, it is centred in the cell and fits
inside it with a gap on each side, so two letters can never touch. The noise (light arcs and
dots) is drawn behind the letters, in a pale tint: it never hides a stroke.

The same key always draws the same image (a reload shows what the person already read): the
drawing uses its own `random.Random(key)`, never the module's shared generator."""

import random
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import captcha
from captcha.models import CaptchaStore
from django.http import Http404, HttpResponse
from django.utils import timezone
from PIL import Image, ImageColor, ImageDraw, ImageFont

# Bitstream Vera Sans, shipped by django-simple-captcha (its license: captcha/fonts/COPYRIGHT.TXT),
# drawn with a 1 px outline: a bold, open sans-serif.
FONT_PATH = Path(captcha.__file__).parent / "fonts" / "Vera.ttf"
FONT_SIZE = 34
STROKE = 1
WIDTH, HEIGHT = 220, 60
MARGIN = 8  # left and right of the first and last cells
GAP = 3  # at least this many blank pixels between two letters
ROTATION = 10  # degrees, either way
JUMP = 14  # pixels a letter moves up or down, at most, from the middle line
INK = "#5b2a86"  # the portal's titulaire purple: 9.6:1 on white
NOISE = "#d9cce6"  # pale: 1.5:1 on white, never taken for a stroke
BACKGROUND = "#ffffff"


@dataclass(frozen=True)
class Drawn:
    image: Image.Image
    boxes: tuple[tuple[int, int, int, int], ...]  # each letter: left, top, right, bottom


@cache
def font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), FONT_SIZE)


def glyph(char: str, angle: float) -> Image.Image:
    """The character alone, rotated, cropped to its ink (an L mask)."""
    left, top, right, bottom = font().getbbox(char, stroke_width=STROKE)
    pad = 4
    mask = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
    ImageDraw.Draw(mask).text(
        (pad - left, pad - top), char, font=font(), fill=255, stroke_width=STROKE, stroke_fill=255
    )
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    return mask.crop(mask.getbbox())


def noise(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(3):
        x0, y0 = rng.randint(-WIDTH // 2, WIDTH // 2), rng.randint(-HEIGHT, HEIGHT // 2)
        box = [x0, y0, x0 + rng.randint(WIDTH // 2, WIDTH), y0 + rng.randint(HEIGHT, 2 * HEIGHT)]
        draw.arc(box, rng.randint(0, 180), rng.randint(180, 360), fill=NOISE, width=2)
    for _ in range(WIDTH * HEIGHT // 40):
        draw.point((rng.randrange(WIDTH), rng.randrange(HEIGHT)), fill=NOISE)


def draw(text: str, seed: str) -> Drawn:
    rng = random.Random(seed)  # noqa: S311 - layout jitter, not a secret (the text is)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    noise(ImageDraw.Draw(image), rng)
    ink = ImageColor.getrgb(INK)
    cell = (WIDTH - 2 * MARGIN) / len(text)
    boxes = []
    for index, char in enumerate(text):
        mask = glyph(char, rng.uniform(-ROTATION, ROTATION))
        width, height = mask.size
        # Free room in the cell once the gap is kept: the letter moves within it, never out.
        room_x = max(0, int(cell - GAP - width))
        room_y = min(JUMP, max(0, HEIGHT - 8 - height))
        left = int(MARGIN + index * cell + GAP / 2) + rng.randint(0, room_x)
        top = (HEIGHT - height) // 2 + rng.randint(-room_y // 2, room_y // 2)
        image.paste(ink, (left, top, left + width, top + height), mask)
        boxes.append((left, top, left + width, top + height))
    return Drawn(image, tuple(boxes))


def png(text: str, seed: str) -> bytes:
    out = BytesIO()
    draw(text, seed).image.save(out, "PNG", optimize=True)
    return out.getvalue()


def captcha_image(request, key, scale=1):
    """Replaces the library's view at its own address (`captcha-image`); one size only."""
    if scale != 1:
        raise Http404  # as the library with CAPTCHA_2X_IMAGE = False
    # Security clock: the challenge's 20 minutes follow the real time.
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)  # gone, as the library answers: not indexed
    response = HttpResponse(png(store.challenge, key), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response
