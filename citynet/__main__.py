"""``python -m citynet`` = ``citynet``."""

from citynet.cli import main

main()
