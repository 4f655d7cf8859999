"""Storykiosk's test suite (docs/testing.md); helpers the tests import are in tests.support."""
