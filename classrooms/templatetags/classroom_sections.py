from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def classroom_section(context, section, part="section"):
    """Render one registered section (or, with part="summary", its line of the summary) with its own
    data added to the page's context, and only there."""
    name = section.summary_template if part == "summary" else section.template
    if not name:
        return ""
    with context.push(section.context):
        return get_template(name).template.render(context)


@register.simple_tag(takes_context=True)
def session_part(context, part):
    """Render one part another app adds to a session's row (``classrooms.program.session_parts``), with
    that row's data added to the context, and only there."""
    with context.push(part.context):
        return get_template(part.template).template.render(context)
