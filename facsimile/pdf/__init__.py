"""The PDF: sheets to page operators and one PDF (reportlab), merged with scans, bookmarks,
labels, metadata and embedded sources (pypdf); and a built PDF back to its document folder.
"""
