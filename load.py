"""``python load.py [OPTIONS]`` = ``citynet load [OPTIONS]``: load the fact files into the store."""

import sys

from citynet.cli import main

if __name__ == "__main__":
    main(["load", *sys.argv[1:]])
