"""Named registries (in the spirit of ``catalogue``): plug a new method in by name, without
touching its callers.

    EXECUTORS = Registry("executor")

    @EXECUTORS.register("local")
    class LocalExecutor: ...

    EXECUTORS.get("local")   # -> LocalExecutor; an unknown name raises UnknownMethodError
"""

from __future__ import annotations

from typing import Callable, Generic, Iterator, TypeVar

from .errors import UnknownMethodError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered mapping of names to functions or classes, filled by a decorator.

    Args:
        kind: what the registry holds, used in error messages ("executor", "method", …).
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator adding the decorated object under ``name`` (a later one replaces it)."""

        def add(item: T) -> T:
            self._items[name] = item
            return item

        return add

    def get(self, name: str) -> T:
        """The object registered as ``name``.

        Raises:
            UnknownMethodError: naming the registered choices.
        """
        try:
            return self._items[name]
        except KeyError:
            raise UnknownMethodError(f"unknown {self.kind} {name!r}; choose one of: {', '.join(self._items) or 'none'}") from None

    def names(self) -> tuple[str, ...]:
        """Registered names, in registration order."""
        return tuple(self._items)

    def values(self) -> tuple[T, ...]:
        """Registered objects, in registration order (e.g. rules applied in sequence)."""
        return tuple(self._items.values())

    def unregister(self, name: str) -> T:
        """Remove and return the object registered as ``name`` (tests use it to clean up)."""
        return self._items.pop(name)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, name: str) -> T:
        return self.get(name)
