"""The kiosk application (pygame-ce): see `kiosk.app.app.App`."""

from kiosk.app.app import App
from kiosk.app.config import KioskConfig

__all__ = ["App", "KioskConfig"]
