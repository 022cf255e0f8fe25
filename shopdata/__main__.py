import sys

from shopdata.cli import main

sys.exit(main())
