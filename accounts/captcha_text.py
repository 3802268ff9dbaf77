"""The captcha's characters (issue 10, point 6): an alphabet a class reads, and hears, without
look-alikes. Pure rules, no Django: the challenge function the settings point to.

Left out, after looking at the contact sheet (`benchmarks/captcha_sheet.py`) and listening:
- 0 O Q D (round shapes), 1 I L J (bars), W V (W reads as VV, V as U), 2 Z, 5 S, 8 B,
  6 G C (hooks), M N (twins in print), P R (one leg apart) and F (an E without its foot);
- in French, B D P T V C G share « é »; F L M N R S share « è- ». One of each is kept: T, R.
"""

import secrets

ALPHABET = "AEHKRTUXY3479"
LENGTH = 6  # as on the 2015 portal (docs/RULES.md)


def challenge() -> tuple[str, str]:
    """(shown, expected answer): the library compares the answer lowercased, so the case
    never matters. `secrets`, not `random`: the library reseeds `random` from the key to draw
    each image."""
    text = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return text, text.lower()
