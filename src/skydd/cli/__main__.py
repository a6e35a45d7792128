"""`python -m skydd.cli`."""

from skydd.cli import main

main()
