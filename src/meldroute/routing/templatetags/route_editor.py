"""Template helper of the route editor's step table: a widget with NL Design classes, described by its column's help."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from meldroute.core.templatetags.mr_forms import WIDGET_CLASSES, widget_type

register = template.Library()


@register.simple_tag
def step_widget(field: BoundField, help_id: str = "") -> SafeString:
    css = WIDGET_CLASSES.get(widget_type(field), "utrecht-textbox utrecht-textbox--html-input")
    if field.name == "position":
        css = f"{css} mr-narrow"
    attrs: dict[str, str | bool] = {"class": css}
    described = [help_id] if help_id else []
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
