"""``python -m citynet`` = ``citynet``."""

from citynet.entry import main

main()
