"""Storykiosk: a touchscreen engine for branching personal stories, and its content model."""

__version__ = "0.1.0"
