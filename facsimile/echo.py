"""A line of text to standard output or error, as click.echo writes it, with nothing imported
(the answer of an unchanged build prints it before pathlib is)."""

from __future__ import annotations

import sys


def echo(message: str, err: bool = False) -> None:
    """One line to standard output (or error), flushed, as click.echo writes it: a character
    the stream cannot encode is replaced, not an error."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    line = message + "\n"
    try:
        stream.write(line)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(line.encode(encoding, "replace").decode(encoding))
    stream.flush()
