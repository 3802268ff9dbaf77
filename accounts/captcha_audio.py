"""The captcha's audio version (RGAA 1.5): its characters spelled in French by espeak-ng.
Used by the signup form's widget (is there a sound to offer?) and by the audio view."""

import shutil
import subprocess

from django.conf import settings
from django.utils.translation import gettext as _


def espeak_available() -> bool:
    path = settings.ESPEAK_PATH
    return bool(path) and shutil.which(path) is not None


def spoken_challenge(challenge: str) -> str:
    """The characters one by one, with pauses, said twice."""
    spelled = ". ".join(challenge.upper()) + "."
    return _("Les caractères à recopier sont : %(chars)s Je répète : %(chars)s") % {
        "chars": spelled
    }


def synthesize(text: str) -> bytes | None:
    """WAV bytes spoken by espeak-ng in French, or None if it is missing or fails."""
    if not espeak_available():
        return None
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, argument list, no shell
            [settings.ESPEAK_PATH, "-v", "fr", "-s", "110", "-g", "12", "--stdout", text],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 or not result.stdout:
        return None
    return result.stdout
