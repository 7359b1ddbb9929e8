"""Registries of what a user chooses by name, open to other packages through entry points.

Three things in newsdesk are picked by a name a user types, and each has a registry here:

* ``newsdesk_reorder_methods``: :class:`~analysis.ordering.OrderingMethod` classes, chosen with
  ``reorder(article, method=NAME)`` (:data:`analysis.ordering.METHODS`);
* ``newsdesk_stance_models``: claim-stance trainers, chosen with ``benchmarks/stance.py --methods
  NAME`` (:data:`analysis.stance._baselines.METHODS`);
* ``newsdesk_executors``: batch executor classes, chosen with ``python -m analysis batch
  --executor NAME`` (:data:`analysis.batch._executors.EXECUTORS`).

The built-in choices register with the decorator::

    EXECUTORS = Registry("executors", kind="executor")

    @EXECUTORS.register("local")
    class LocalExecutor: ...

    EXECUTORS.get("local")   # -> LocalExecutor; an unknown name raises UnknownMethodError

and another package adds one without editing newsdesk, by declaring an entry point in its
``pyproject.toml``::

    [project.entry-points."newsdesk_executors"]
    ray = "newsdesk_ray:RayExecutor"

Each registry is a ``catalogue`` registry (namespace ``("newsdesk", <namespace>)``, entry points
on; catalogue names the group ``newsdesk_<namespace>``). Three rules are newsdesk's own:

* **Built-ins first.** :meth:`Registry.names` lists the names registered in this process in
  registration order, then the entry points' names, sorted; choices shown to a user read the same
  whatever is installed.
* **A registered name wins** over an entry point of the same name, so installing a package cannot
  change what ``pairwise`` or ``local`` means.
* **Entry points load only when chosen.** Listing or testing a name never imports a plugin, so a
  broken one cannot slow down or break anything but its own choice; choosing it raises
  :class:`~analysis.errors.PluginLoadError`, one line naming the entry point and the cause.

Entry points are those catalogue read when it was first imported (one scan of the installed
packages per process): a package installed later is seen by the next process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Generic, Iterator, TypeVar

import catalogue

from .errors import PluginLoadError, UnknownMethodError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Names mapped to functions or classes: registered by a decorator or found as entry points.

    Args:
        namespace: the catalogue namespace under ``"newsdesk"``; the entry-point group is
            ``newsdesk_<namespace>`` (:attr:`group`).
        kind: what the registry holds, used in error messages (``"executor"``, …).
    """

    def __init__(self, namespace: str, *, kind: str) -> None:
        self.kind = kind
        self._catalogue = catalogue.create("newsdesk", namespace, entry_points=True)
        self._namespace: tuple[str, ...] = tuple(self._catalogue.namespace)

    @property
    def group(self) -> str:
        """The entry-point group other packages declare their choices in."""
        return self._catalogue.entry_point_namespace

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator adding the decorated object under ``name`` (a later one replaces it)."""

        def add(item: T) -> T:
            self._catalogue.register(name, func=item)
            return item

        return add

    def get(self, name: str) -> T:
        """The object registered as ``name``, or else loaded from the entry point of that name.

        Raises:
            UnknownMethodError: neither holds ``name``; the message lists the choices.
            PluginLoadError: the entry point named ``name`` failed to load.
        """
        key = (*self._namespace, name)
        if key in catalogue.REGISTRY:
            return catalogue.REGISTRY[key]
        entry_point = self._entry_points().get(name)
        if entry_point is None:
            raise UnknownMethodError(f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names()) or 'none'}")
        try:
            return entry_point.load()
        except Exception as exc:  # whatever a third-party module raises while it is imported
            cause = f"{type(exc).__name__}: {exc}".splitlines()[0]
            raise PluginLoadError(
                f"{self.kind} {name!r} (entry point {entry_point.value!r} in group {self.group}) failed to load: {cause}"
            ) from exc

    def names(self) -> tuple[str, ...]:
        """The choices: registered names in registration order, then entry-point names, sorted."""
        registered = self._registered()
        return (*registered, *sorted(n for n in self._entry_points() if n not in registered))

    def unregister(self, name: str) -> T:
        """Remove and return the object registered as ``name`` (tests use it to clean up).

        Raises:
            UnknownMethodError: nothing is registered as ``name`` (entry points cannot be removed).
        """
        try:
            return catalogue.REGISTRY.pop((*self._namespace, name))
        except KeyError:
            raise UnknownMethodError(f"no {self.kind} registered as {name!r}") from None

    def _registered(self) -> tuple[str, ...]:
        # catalogue keeps every namespace in one insertion-ordered dict, keyed (*namespace, name).
        depth = len(self._namespace)
        return tuple(key[depth] for key in catalogue.REGISTRY if len(key) == depth + 1 and key[:depth] == self._namespace)

    def _entry_points(self) -> dict[str, EntryPoint]:
        """The group's entry points by name, not loaded (the first of a repeated name wins)."""
        found: dict[str, EntryPoint] = {}
        for entry_point in catalogue.AVAILABLE_ENTRY_POINTS.select(group=self.group):
            found.setdefault(entry_point.name, entry_point)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and ((*self._namespace, name) in catalogue.REGISTRY or name in self._entry_points())

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())
