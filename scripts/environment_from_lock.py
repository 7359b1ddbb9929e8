"""Write environment.yml from requirements.lock, so conda users get the same pinned set."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\;]+)")


def pins(lock: Path) -> list[str]:
    """``name==version`` for every package pinned in a pip-compile style lock file."""
    found = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found.append(f"{match.group(1)}=={match.group(2)}")
    return found


def main() -> None:
    lines = [
        "# Generated from requirements.lock by scripts/environment_from_lock.py; do not edit by hand.",
        "# conda env create -f environment.yml && conda activate newsdesk && pip install --no-deps -e .",
        "name: newsdesk",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {pin}" for pin in pins(ROOT / "requirements.lock")]
    (ROOT / "environment.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
