"""Rendering the access export's dict as readable HTML for its PDF: every value escaped."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def section_title(key: str) -> str:
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _render(value: Any) -> SafeString:
    if isinstance(value, dict):
        rows = format_html_join("", "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                                ((section_title(k), _render(v)) for k, v in value.items()))
        return format_html("<table>{}</table>", rows)
    if isinstance(value, list):
        if not value:
            return format_html("{}", "—")
        if all(not isinstance(v, dict | list) for v in value):
            return format_html("{}", ", ".join(_scalar(v) for v in value))
        return mark_safe("".join(_render(v) for v in value))  # noqa: S308 — each part was built by format_html
    return format_html("{}", _scalar(value))


@register.simple_tag
def render_value(value: Any) -> SafeString:
    return _render(value)
