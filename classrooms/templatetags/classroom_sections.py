from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def classroom_section(context, section):
    """Render one registered section with its own data added to the page's context (and only there)."""
    with context.push(section.context):
        return get_template(section.template).template.render(context)
