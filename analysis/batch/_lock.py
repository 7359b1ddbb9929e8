"""One batch at a time per reports folder.

Two batches writing one folder would delete each other's outputs and leave an index that mixes
both runs. :func:`batch_lock` takes an exclusive ``flock`` on ``<reports>/.newsdesk-batch.lock``
for the whole run; a second batch on the same folder stops at once, naming the holder's PID.
The lock is released by the kernel when the holder exits, however it exits, so a killed batch
never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from ..errors import NewsdeskError, BatchLocked

__all__ = ["LOCK_NAME", "BatchLocked", "batch_lock"]

LOCK_NAME = ".newsdesk-batch.lock"


@contextlib.contextmanager
def batch_lock(folder: str | Path) -> Iterator[Path]:
    """Hold the reports folder (created if missing) for one batch.

    Raises:
        BatchLocked: another batch holds it.
        NewsdeskError: the folder cannot be created or written (one line: where and why).
    """
    import fcntl

    folder = Path(folder)
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise NewsdeskError(f"{folder}: cannot write the reports folder ({exc.strerror or exc}); "
                            "choose another --out") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchLocked(folder, _holder(fd)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield folder
    finally:
        os.close(fd)  # closing releases the lock


def _holder(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip() or 0) or None
    except (OSError, ValueError):
        return None
