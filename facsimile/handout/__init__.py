"""Handouts: a document's pages (or a reading edition set anew) with a cover and notes,
imposed on sheets for printing. In: a document folder and options. Out: one handout PDF.
"""
