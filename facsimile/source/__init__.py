"""Reading the source: a document folder (manifest, part files, corrections, notes) to a Document.

In: files under source/<document>/. Out: the frozen model (facsimile.model), or every problem
found, each at its file, line and column.
"""
