"""`python -m kiosk.i18n extract|update|init LANG|check`: maintain the interface catalogues."""

import sys

from kiosk.i18n.tools import main

sys.exit(main())
