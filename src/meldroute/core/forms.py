"""Form rendering in NL Design System (Utrecht) markup, with an error summary."""

from django.forms.renderers import TemplatesSetting


class NLDesignFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
