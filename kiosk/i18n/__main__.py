"""`python -m kiosk.i18n extract|update|init LANG|check`: maintain the interface catalogues."""

import sys

from kiosk.cli.ui_strings import main

sys.exit(main())
