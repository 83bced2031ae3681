"""PIL.Image to a module that is imported on first use, not when reportlab is imported.

reportlab.lib.utils runs `from PIL import Image` whatever the document draws; a typed page
draws no image (a scan is placed by facsimile/pdf/scanner.py in a process of its own). The
stand-in is the standard library's lazy module: the first use of any of its names imports
the real PIL.Image in its place, so code that does draw an image works unchanged.
"""

from __future__ import annotations

import importlib.util
import sys


def defer_pil_image() -> None:
    """Put a lazy PIL.Image in sys.modules, unless it is imported already or not installed."""
    if "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")  # imports the small PIL package itself
    except ImportError:
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    setattr(sys.modules["PIL"], "Image", module)  # as an import of the submodule would
