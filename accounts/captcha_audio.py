"""The captcha's audio version (RGAA 1.5): its characters spelled in French, twice.

Built from recorded clips kept in the repository (accounts/captcha_audio/, one per character of
the alphabet and two phrases; license in its LICENSE file), joined here with pauses by the
standard `wave` module: no system package, so the audio works right after `make demo` (issue
10, point 6). espeak-ng is needed only to regenerate the clips (benchmarks/captcha_clips.py).
"""

import wave
from functools import cache
from io import BytesIO
from pathlib import Path

from accounts.captcha_text import ALPHABET

CLIPS = Path(__file__).resolve().parent / "captcha_audio"
RATE = 8000  # Hz, mono, 16-bit: telephone quality, a few KB a clip
LETTER_PAUSE = 0.7  # seconds between two characters: time to type one
REPEAT_PAUSE = 1.5  # before « Je répète »
INTRO_PAUSE = 0.5  # after each phrase


def clip_name(char: str) -> str:
    return f"caractere-{char.lower()}"


@cache
def clip(name: str) -> bytes:
    with wave.open(str(CLIPS / f"{name}.wav")) as source:
        if (source.getnchannels(), source.getsampwidth(), source.getframerate()) != (1, 2, RATE):
            raise ValueError(f"{name}.wav: 8 kHz mono 16-bit expected")
        return source.readframes(source.getnframes())


def clips_available() -> bool:
    """Every clip the alphabet needs is there (the repository ships them)."""
    names = [clip_name(char) for char in ALPHABET] + ["debut", "repete"]
    return all((CLIPS / f"{name}.wav").is_file() for name in names)


def silence(seconds: float) -> bytes:
    return bytes(2 * int(RATE * seconds))


def spoken_challenge(challenge: str) -> bytes:
    """WAV bytes: « Les caractères à recopier sont : » each character, « Je répète : » each
    character again, with a pause after each."""
    characters = [clip(clip_name(char)) + silence(LETTER_PAUSE) for char in challenge.upper()]
    frames = b"".join(
        [
            clip("debut"),
            silence(INTRO_PAUSE),
            *characters,
            silence(REPEAT_PAUSE),
            clip("repete"),
            silence(INTRO_PAUSE),
            *characters,
        ]
    )
    out = BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(frames)
    return out.getvalue()
