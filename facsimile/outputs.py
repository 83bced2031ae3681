"""Document folders and an output folder to the files a command will write, checked before
anything is written: never two documents into one file, never over a file the build reads."""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError, SourcePos, UsageError, display
from .inputs import on_disk

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (an unchanged build needs none)
if TYPE_CHECKING:
    from .fonts import FaceStack
    from .model import Document

EXTRA_SOURCES = ("corrections.toml", "words.txt", "notes.toml")  # read and embedded when present


def distinct_outputs(folders: list[Path], out_dir: Path, suffix: str = ".pdf") -> list[Path]:
    """The folders to build, each once; UsageError when two would write the same file."""
    seen: dict[str, Path] = {}
    kept: list[Path] = []
    for folder in folders:
        resolved = Path(folder).resolve()
        name = resolved.name + suffix
        if name in seen:
            if seen[name] == resolved:
                continue
            raise UsageError.at(SourcePos(display(folder)), f"this document and {display(seen[name])} "
                                f"would both be written to {display(Path(out_dir) / name)}: build "
                                "them into different folders with --out, or rename one folder")
        seen[name] = resolved
        kept.append(folder)
    return kept


def check_not_an_input(path: Path, folder: Path, doc: "Document", stack: "FaceStack") -> None:
    """OutputError when the file about to be written is one the build reads (the output
    folder set to the document folder, a scan named like the PDF)."""
    inputs = [folder / name for name in ("document.toml", *EXTRA_SOURCES)]
    inputs += [folder / on_disk(part.spec.file) for part in doc.parts]
    inputs += [face.path for face in stack.faces]
    try:
        target = path.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python 3.11)
        return
    for source in inputs:
        try:
            same = source.resolve() == target
        except (OSError, RuntimeError, ValueError):  # a link to itself is no file to write over
            continue
        if same:
            raise OutputError.at(SourcePos(display(path)), f"the output would overwrite "
                                 f"{display(source)}, which the build reads: choose another "
                                 "folder with --out")
