"""facsimile: transcribed pamphlets in, typed and duplicated leaflets (PDF) out."""

__version__ = "0.1.0"
