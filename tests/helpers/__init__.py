"""Shared fakes and builders for the tests."""
