import sys

from clockify_actions.cli import main

sys.exit(main())
