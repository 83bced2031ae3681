"""`python -m facsimile` to the facsimile command."""

from .cli import main

main(prog_name="facsimile")
