"""The REST API for partner systems (token authentication, OpenAPI 3 schema)."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "meldroute.api"
    label = "api"
