"""Issue 11, point 7: the repository stands on its own. No tracked file sends the reader to a
document outside it; the domain rules live in docs/RULES.md."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile(
    r"\.\./shared\b|/work/shared\b|\bREFERENCE\.md\b|\bseed/000_|\b000_[0-9a-f]{16}\b"
)


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_tracked_file_refers_to_a_document_outside_the_repository():
    found = []
    for path in tracked_files():
        if path == Path(__file__).resolve():
            continue  # its patterns and samples name what it looks for
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary (images, fonts) or deleted in the working tree
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "References outside the repository:\n" + "\n".join(found)


def test_the_pattern_catches_each_way_of_citing_the_outside_sources():
    for text in (
        "Read `../shared/REFERENCE.md` first",
        "see /work/shared/REFERENCE.md",
        "the screens: " + "seed/" + "000_" + "83c89803fbfdb872.txt",
        "REFERENCE" + ".md",
    ):
        assert OUTSIDE.search(text), text
    assert not OUTSIDE.search("docs/RULES.md; demo_data.seed(stdout, accounts); 15 000 h")


def test_the_rules_and_the_docs_that_point_to_them_are_in_the_repository():
    rules = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    # The legal sources the code cites are written down where the rules are.
    for source in ("L6323-1", "L6323-11", "L6323-11-1", "R6323-1", "R6323-7", "L6323-4"):
        assert source in rules, source
    for doc in ("README.md", "docs/ARCHITECTURE.md"):
        assert "docs/RULES.md" in (ROOT / doc).read_text(encoding="utf-8"), doc
