"""The base of callcheck's immutable values: results, registry records, keys and signatures.

A frozen dataclass costs ~0.5 ms to create when its module is imported, which a number
check paid ~20 times at start-up. These classes give the same behaviour from code that
is compiled once: fields set by ``__init__`` only, equality and hashing by field values,
a readable ``repr``, and copying and pickling. No I/O, no logic of the values' own.
"""

from __future__ import annotations

from typing import Any, Self


class Value:
    """An immutable record whose fields are its ``__slots__``, in ``__init__``'s order.

    Assigning or deleting a field raises ``dataclasses.FrozenInstanceError`` (an
    ``AttributeError``), as on a frozen dataclass. ``replace`` is
    ``dataclasses.replace`` for these classes.
    """

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied to the named fields."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        return type(self)(*(changes.get(name, getattr(self, name)) for name in self.__slots__))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Value) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({fields})"

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        return type(self), self._values()

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")
