"""`python -m facsimile` to the facsimile command."""

from .launch import main

main()
