from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world (`manage.py seed_demo`): accounts, schools, history. The top layer: it
    may import every app, and no app imports it."""

    name = "demo"
