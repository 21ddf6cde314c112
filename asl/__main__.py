import sys

from asl.cli import main

sys.exit(main())
