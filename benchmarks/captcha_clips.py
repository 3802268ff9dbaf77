"""Regenerate the audio captcha's French clips (accounts/captcha_audio/*.wav) with espeak-ng.

    .venv/bin/python benchmarks/captcha_clips.py [ESPEAK_PATH]

Run once by a developer, output committed: the portal itself never needs espeak-ng (issue 10,
point 6: the audio works right after `make demo`, with no system package). Each clip is one
character's French name (or a short phrase), trimmed of its silences, 8 kHz mono 16-bit: the
portal adds the pauses between them (accounts/captcha_audio.py).
"""

import array
import subprocess
import sys
import wave
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accounts.captcha_audio import CLIPS, RATE, clip_name  # noqa: E402
from accounts.captcha_text import ALPHABET  # noqa: E402

# What espeak-ng says for each character: its French name, spelled so it is never misread.
SPOKEN = {
    "A": "a",
    "E": "e",
    "H": "ache",
    "K": "ka",
    "R": "erre",
    "T": "té",
    "U": "u",
    "X": "ixe",
    "Y": "i grec",
    "3": "trois",
    "4": "quatre",
    "7": "sept",
    "9": "neuf",
}
PHRASES = {
    "debut": "Les caractères à recopier sont :",
    "repete": "Je répète :",
}
QUIET = 300  # |sample| below this (of 32767) is silence, for trimming


def speak(espeak: str, text: str) -> tuple[array.array, int]:
    """16-bit samples and rate of espeak-ng's French speech (slow, clear)."""
    wav = subprocess.run(  # noqa: S603 - fixed program, argument list, no shell
        [espeak, "-v", "fr", "-s", "120", "--stdout", text], capture_output=True, check=True
    ).stdout
    with wave.open(BytesIO(wav)) as source:
        rate = source.getframerate()
        frames = source.readframes(10**9)  # espeak streams: its header gives no length
    samples = array.array("h")
    samples.frombytes(frames[: len(frames) // 2 * 2])
    return samples, rate


def trim(samples: array.array) -> array.array:
    loud = [i for i, value in enumerate(samples) if abs(value) > QUIET]
    return samples[loud[0] : loud[-1] + 1] if loud else samples


def resample(samples: array.array, rate: int) -> array.array:
    """To RATE: a 3-tap average against aliasing, then linear interpolation."""
    smooth = [
        (samples[max(i - 1, 0)] + 2 * samples[i] + samples[min(i + 1, len(samples) - 1)]) // 4
        for i in range(len(samples))
    ]
    out = array.array("h")
    step = rate / RATE
    position = 0.0
    while position < len(smooth) - 1:
        i = int(position)
        fraction = position - i
        out.append(int(smooth[i] * (1 - fraction) + smooth[i + 1] * fraction))
        position += step
    return out


def write(path: Path, samples: array.array) -> None:
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(samples.tobytes())


def main(espeak: str = "/usr/bin/espeak-ng") -> None:
    CLIPS.mkdir(exist_ok=True)
    assert set(SPOKEN) == set(ALPHABET), "one clip per character of the alphabet"
    for name, text in [*((clip_name(c), SPOKEN[c]) for c in ALPHABET), *PHRASES.items()]:
        samples, rate = speak(espeak, text)
        clip = resample(trim(samples), rate)
        write(CLIPS / f"{name}.wav", clip)
        print(f"{name}.wav  {len(clip) / RATE:.2f} s  {text}")


if __name__ == "__main__":
    main(*sys.argv[1:])
