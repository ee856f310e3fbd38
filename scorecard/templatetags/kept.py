"""``{% kept name vary_on... %}...{% endkept %}``: a page body kept under the data version, as
Django's ``{% cache %}`` tag keeps a fragment, through ``scorecard.cache.kept``: after a change
the first reader renders it once for every worker and server, the others wait briefly for it
(decision 0018).

    {% load kept %}
    {% kept dashboard cache_key %} ... {% endkept %}

The key is Django's fragment key (``make_template_fragment_key``) of ``name`` and the values
of ``vary_on`` (``cache_key`` is ``scorecard.cache.page_key``, which carries the council and
the data version); kept for ``scorecard.cache.TIMEOUT``.
"""

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.template.base import FilterExpression, NodeList, Parser, Token

from scorecard.cache import kept

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        key = make_template_fragment_key(self.name, [var.resolve(context) for var in self.vary_on])
        return kept(key, lambda: self.nodelist.render(context))


@register.tag("kept")
def do_kept(parser: Parser, token: Token) -> KeptNode:
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 2:
        raise template.TemplateSyntaxError(f"'{tokens[0]}' needs a name for what it keeps.")
    return KeptNode(nodelist, tokens[1], [parser.compile_filter(t) for t in tokens[2:]])
