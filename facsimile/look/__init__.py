"""The look: typed pages on the grid to sheets in points, through a worn typewriter, a stencil
and a duplicator (or none of them). In: pages and a seed. Out: glyphs, strokes and dots.
"""
