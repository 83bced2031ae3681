"""The typewriter layout: a Document's parts to typed pages on the character grid.

In: the model and the paper, pitch and spacing. Out: pages of typed cells in whole cells and
half-line rows; never points, never reportlab.
"""
