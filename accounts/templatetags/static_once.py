"""``{% static_once %}...{% endstatic_once %}``: markup drawn once per process, for what depends on nothing but the
static files' URLs (base.html's stylesheets and scripts: a dozen ``{% static %}`` lookups in the manifest on every
page otherwise). Drawn again after a change of STATIC_URL or STORAGES (tests switch them)."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver

register = template.Library()

_generation = 0  # moves when the static files' URLs may have changed


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    global _generation
    if setting in ("STATIC_URL", "STORAGES"):
        _generation += 1


class StaticOnceNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.drawn: tuple[int, str] | None = None  # (generation, html), kept with the parsed template

    def render(self, context) -> str:
        if self.drawn is None or self.drawn[0] != _generation:
            # An empty context (the page's template kept, so an error inside reads as itself): what is inside may
            # not read the page's variables, since every page shares what it draws.
            self.drawn = (_generation, self.nodelist.render(context.new()))
        return self.drawn[1]


@register.tag
def static_once(parser, token):
    nodelist = parser.parse(("endstatic_once",))
    parser.delete_first_token()
    return StaticOnceNode(nodelist)
