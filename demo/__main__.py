"""`python -m demo`: build the demo organisation and print how long each step took."""

import sys

from demo.generate import main

sys.exit(main())
