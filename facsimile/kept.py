"""Keys to what a long-lived process (a watch) keeps between its rebuilds: a bounded memo that
holds anything only in the process that switched it on.

A one-pass build would only hold what it never asks for again, and the workers a watch forks
would keep copies that die with them; so each memo keeps nothing until keep_here() is called
(buildcmd.long_lived does), and then only in that process, by its id.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `most` values by key, the least recently used forgotten first."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._owner: int | None = None

    def keep_here(self) -> None:
        """From now on, keep values in this process (not in the processes it forks)."""
        self._owner = os.getpid()

    @property
    def on(self) -> bool:
        return self._owner == os.getpid()

    def take(self, key: Hashable) -> V | None:
        """The value kept under key, no longer kept (put it back once used or made anew)."""
        return self._values.pop(key, None) if self.on else None

    def put(self, key: Hashable, value: V) -> None:
        if self.on:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.most:
                self._values.popitem(last=False)

    def made(self, key: Hashable, make: Callable[[], V]) -> V:
        """make(), or what it gave for the same key before, in the process that keeps."""
        if not self.on:
            return make()
        found = self.take(key)
        if found is None:
            found = make()
        self.put(key, found)
        return found

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values
