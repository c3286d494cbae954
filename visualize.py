"""``python visualize.py [OPTIONS]`` = ``citynet visualize [OPTIONS]``: write the browsable site."""

import sys

from citynet.cli import main

if __name__ == "__main__":
    main(["visualize", *sys.argv[1:]])
