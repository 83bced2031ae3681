"""What a build imports: nothing it does not use, and what it defers still works when used."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_reportlab_is_imported_without_decoding_pil_until_an_image_is_drawn():
    out = run_python("""
        import sys
        from facsimile.pdf.render import reportlab
        reportlab()
        import reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts, reportlab.lib.utils as utils
        print(type(sys.modules["PIL.Image"]).__name__, utils.haveImages)
        from PIL import Image
        from reportlab.lib.utils import ImageReader
        print(ImageReader(Image.new("RGB", (3, 2))).getSize(), type(sys.modules["PIL.Image"]).__name__)
    """)
    assert out.splitlines() == ["_LazyModule True", "(3, 2) module"]
