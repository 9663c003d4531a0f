"""EDGAR formats: submissions JSON and filing documents as text."""
