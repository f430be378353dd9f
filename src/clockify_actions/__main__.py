import sys

from clockify_actions.adapters.cli import main

sys.exit(main())
