"""A web transcription (plain text or the archive's saved HTML page) in, a document folder out.

Exports import_transcription (read, guess, report) and write_folder (the folder on disk).
"""

from .writer import Imported, check_target, import_transcription, write_folder

__all__ = ["Imported", "check_target", "import_transcription", "write_folder"]
