"""What a batch runs, in one object shared by the command line, the runner, the planner and the
manifest: each setting is named, defaulted and documented once, here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

__all__ = ["BatchConfig"]


@dataclass(frozen=True)
class BatchConfig:
    """The settings of one batch.

    Attributes:
        seeds: folder of seed files.
        out_dir: the reports folder.
        notebooks: notebooks to run; empty: those of ``notebooks_dir`` that declare ``seed_path``
            or ``seeds_glob``, less per-seed ones marked ``on-request``.
        notebooks_dir: where notebooks are discovered.
        all_notebooks: also run the per-seed notebooks marked ``on-request`` when discovering.
        pattern: glob selecting the seed files in ``seeds``.
        kernel: Jupyter kernel name to execute with.
        executor: name in :data:`~analysis.batch._executors.EXECUTORS`.
        workers: notebooks run in parallel (``None``: the CPU count).
        scheduler: address of a running Dask scheduler (``executor="dask"`` only; ``None``: a
            loopback cluster of ``workers`` processes).
        timeout: seconds one notebook may take (``None``: no limit).
        keep_code: keep code cells in the HTML exports.
        parameters: extra notebook parameters (e.g. ``{"pipeline": "en_core_web_sm"}``), each given
            to the notebooks that declare it.
        progress: show a progress bar on stderr.
    """

    seeds: Path = Path("seeds")
    out_dir: Path = Path("reports")
    notebooks: tuple[Path, ...] = ()
    notebooks_dir: Path = Path("notebooks")
    all_notebooks: bool = False
    pattern: str = "*.txt"
    kernel: str = "python3"
    executor: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    timeout: float | None = 600
    keep_code: bool = False
    parameters: Mapping[str, Any] = field(default_factory=dict)
    progress: bool = True

    def __post_init__(self) -> None:
        # Accept what a caller naturally passes (strings, lists) and keep the object immutable.
        for name in ("seeds", "out_dir", "notebooks_dir"):
            object.__setattr__(self, name, Path(getattr(self, name)))
        object.__setattr__(self, "notebooks", tuple(Path(n) for n in self.notebooks or ()))
        object.__setattr__(self, "parameters", dict(self.parameters or {}))

    def replace(self, **changes: Any) -> "BatchConfig":
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @property
    def pipeline(self) -> str | None:
        """The spaCy pipeline the notebooks are told to use (``None``: each notebook's default)."""
        return self.parameters.get("pipeline")

    def settings(self, notebooks: list[Path]) -> dict[str, Any]:
        """The manifest's record of this batch, with the notebooks it actually ran."""
        return {
            "seeds": str(self.seeds),
            "pattern": self.pattern,
            "notebooks": [str(n) for n in notebooks],
            "kernel": self.kernel,
            "executor": self.executor,
            "workers": self.workers,
            "timeout_s": self.timeout,
            "keep_code": self.keep_code,
            "parameters": dict(self.parameters),
        }
