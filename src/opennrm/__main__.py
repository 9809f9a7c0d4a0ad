import sys

from opennrm.cli import main

sys.exit(main())
