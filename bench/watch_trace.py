"""`facsimile watch`, with a wall-clock timestamp on stderr at each step of a rebuild.

bench/watch_latency.py --stages runs the watcher through this file instead of
`python -m facsimile`, to see where the time between a save and the new PDF goes. It wraps,
without changing what they do: watchfiles' generator (when a batch of file events is handed
over), the driver's build_one (rebuild begins and ends), the unchanged check (the inputs
hashed), build_document (typeset to written), and os.replace of the PDF (in place). Each is
printed as `TRACE <name> <time.time()>`. With WATCH_TRACE_EVENTS=watchfiles (or inotify)
the watcher uses that source of file events, to compare them.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from typing import Any, Callable, Iterator


def _say(name: str) -> None:
    sys.stderr.write(f"TRACE {name} {time.time():.6f}\n")
    sys.stderr.flush()


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _say(f"{name}-begin")
        try:
            return function(*args, **kwargs)
        finally:
            _say(f"{name}-end")
    return wrapper


def install() -> None:
    """Wrap the steps named in the module's docstring."""
    import watchfiles

    import facsimile.build
    import facsimile.cache
    import facsimile.driver

    events = watchfiles.watch

    def watch(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for changes in events(*args, **kwargs):
            _say("events" if changes else "timeout")
            yield changes

    watchfiles.watch = watch
    facsimile.driver.build_one = _timed("rebuild", facsimile.driver.build_one)
    facsimile.cache.unchanged_output = _timed("hash", facsimile.cache.unchanged_output)
    facsimile.build.build_document = _timed("build", facsimile.build.build_document)
    replace = os.replace

    def replaced(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        replace(source, target, *args, **kwargs)
        if str(target).endswith(".pdf"):
            _say("pdf-in-place")

    os.replace = replaced  # type: ignore[assignment]
    source = os.environ.get("WATCH_TRACE_EVENTS")  # watch with this source of events (bench: A/B)
    if source:
        import facsimile.watch

        watch_sources = facsimile.watch.watch_sources
        facsimile.watch.watch_sources = functools.partial(watch_sources, events=source)  # type: ignore[assignment]


if __name__ == "__main__":
    install()
    from facsimile.launch import main

    sys.argv[0] = "facsimile"
    main()
