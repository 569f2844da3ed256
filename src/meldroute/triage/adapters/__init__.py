"""Clients for the basic registers an AF may consult while enriching a signal (BRP, KvK Handelsregister)."""

from .http import AdapterError, NotConfigured, NotFound

__all__ = ["AdapterError", "NotConfigured", "NotFound"]
