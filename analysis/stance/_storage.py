"""Model files that two trainings write byte for byte alike: ``.npz`` with fixed zip metadata."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

from .._atomic import atomic_write_bytes

__all__ = ["write_npz"]

# A fixed timestamp in the zip entries, as np.savez also writes; entries sorted by name and
# deflated, so two trainings of the same model give the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write plain ``.npy`` entries (no pickled objects), sorted by name, with a fixed date."""
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())
    atomic_write_bytes(path, whole.getvalue())
