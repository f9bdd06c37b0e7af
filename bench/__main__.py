"""Run every benchmark in turn, or the ones named (see :mod:`bench.runner`)."""

import sys

from bench.runner import main

sys.exit(main())
