"""Retention (SPEC F4): terms per record type, holds, the dry-run report, the daily run that anonymises or deletes."""
