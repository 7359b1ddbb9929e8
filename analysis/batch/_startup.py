"""Start-up of the batch's own processes (the command line and its workers)."""

from __future__ import annotations

import sys

__all__ = ["skip_unused_imports"]


def skip_unused_imports() -> None:
    """Keep ``rfc3987_syntax`` out of this process.

    jsonschema imports it, when it is installed (JupyterLab's ``jupyter-events`` asks for it), to
    check the ``iri`` string format, and it builds an Earley parser of RFC 3987 while being
    imported: 2.7 s for every process that imports nbformat (the command line, each worker)
    before it can do anything else. Notebook schemas use no string formats, so no validation the
    batch does changes. Only the batch's own processes do this; kernels and a user's session
    import as usual.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # importing it raises ImportError, which jsonschema skips
