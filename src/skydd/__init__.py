"""Skydd: make a company's privacy policy true, from one data map."""

__version__ = "0.1.0"
