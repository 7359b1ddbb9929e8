"""Shared fixtures: project paths, the real seed, and the optional ../shared corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_3b38e28e8b9a1ce3.txt"
NOTEBOOKS = ROOT / "notebooks"
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"

needs_shared = pytest.mark.skipif(
    not CORPORA.is_dir(), reason=f"needs the development corpora at {CORPORA} (absent on this machine)"
)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the annotation cache of a test run out of the user's home (and shared by its subprocesses)."""
    if "NEWSDESK_CACHE_DIR" not in os.environ:
        os.environ["NEWSDESK_CACHE_DIR"] = str(tmp_path_factory.mktemp("nlp-cache"))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="module")
def seed():
    """The real seed article, as read (one per test module)."""
    from analysis import load_article

    return load_article(SEED)


@pytest.fixture(autouse=True)
def _kernels_only_in_marked_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a Jupyter kernel in this process must be marked ``slow`` (or ``browser``),
    so that ``make test-fast`` stays a loop without kernels: an unmarked one fails here, by name."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("browser"):
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    async def refuse(self, cmd, **kwargs):
        raise RuntimeError(f"{request.node.nodeid} starts a Jupyter kernel but is not marked slow")

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refuse)
