"""The demo: a fictional region with users per role and a realistic history of signals."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "meldroute.demo"
    label = "demo"
