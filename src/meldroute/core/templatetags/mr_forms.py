"""Template helpers that put NL Design System classes and ARIA attributes on form widgets."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "checkboxinput": "utrecht-checkbox utrecht-checkbox--html-input",
}


@register.filter
def widget_type(field: BoundField) -> str:
    name: str = field.field.widget.__class__.__name__.lower()
    return name


@register.simple_tag
def styled_widget(field: BoundField) -> SafeString:
    kind = widget_type(field)
    css = WIDGET_CLASSES.get(kind, "utrecht-textbox utrecht-textbox--html-input")
    attrs: dict[str, str | bool] = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] = f"{css} utrecht-textbox--invalid"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
