"""``python -m wddf``: the command line."""

from wddf.cli import main

raise SystemExit(main())
