"""Helpers the test modules share; the fixtures built on them are in tests/conftest.py."""
