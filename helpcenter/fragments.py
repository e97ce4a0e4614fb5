"""Listing items rendered once and kept between builds.

Every listing page shows the tabs' counts, and an article added or deleted moves every later
item to another place: at 10,000 articles all 2,000 listing pages are rendered again, and the
20 items on each were most of that work. An item's markup depends only on the item, the way
back to the site root and whether its category shows, so ``listing.html`` asks
``listing_items(items)`` (or ``listing_item(item)`` for one), which renders ``_item.html``
with exactly those values (and the ``site`` global) and keeps the result under them. Kept in
the cache folder for the templates and settings they were made with; anything unreadable or
from other templates is ignored.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .cache import atomic_write
from .pages import unwrapped

LOAD_MIN_PAGES = 64
"""Listing pages to render before the kept items are worth reading (39 MB at 10,000 articles,
about 60 ms; an item takes 25 µs to render, twenty on a page)."""
SAVE_MIN = 64
"""Items to make before all kept ones are written again (see ItemFragments.worth_saving)."""


class ItemFragments:
    """``listing_item(item)`` in ``env``'s templates: the item's ``_item.html`` markup, made once;
    ``listing_items(items)``: theirs, one after another.

    ``keys``: URL → the item's key (pages.item_key: a digest of everything an item shows).
    ``known``: the fragments kept from earlier builds, if read."""

    def __init__(self, env: Any, keys: Mapping[str, str], known: dict[str, str] | None = None):
        from jinja2 import pass_context
        from markupsafe import Markup

        env.globals["listing_item"] = pass_context(self)
        # One call for a page's twenty items: Jinja's call, a Markup and its escape a call
        # cost more than looking an item up (54 of a listing page's 220 µs at 10,000 articles).
        env.globals["listing_items"] = pass_context(lambda context, items: self.join(context, items))

        self._markup = Markup
        self._env = env
        self._template: Any = None
        """``_item.html``, loaded when first needed: within the pages' rendering, whose errors
        are reported as the template's (see templates.template_problem)."""
        self._globals: dict[str, Any] = {}
        self._keys = keys
        self._read = known is not None
        self.known: dict[str, str] = known if known is not None else {}
        """Those read, and those made by this build (here, or by forked workers that sent them)."""
        self._count_read = len(self.known)
        self._fresh: dict[str, str] = {}
        """Made here since ``take_made`` last ran (what a forked worker sends back)."""

    def __call__(self, context: Any, item: Any) -> Any:
        return self.join(context, (item,))

    def join(self, context: Any, items: Any) -> Any:
        root, show = context["root"], bool(context.get("show_category", False))
        return self._markup("".join([self._html(item, root, show) for item in items]))

    def _html(self, item: Any, root: str, show: bool) -> str:
        key = f"{self._keys[item.url]}\0{'+' if show else '-'}{root}"
        html = self.known.get(key)
        if html is None:
            html = self.known[key] = self._fresh[key] = self._render(unwrapped(item), root, show)
        return html

    def _render(self, item: Any, root: str, show: bool) -> str:
        template = self._template
        if template is None:
            template = self._template = self._env.get_template("_item.html")
            self._globals = dict(template.globals)
        # As Jinja's own include does: Template.render would merge the globals into a new dict
        # through a ChainMap for each item, a quarter of the time an item takes.
        values = {**self._globals, "item": item, "root": root, "show_category": show}
        try:
            return "".join(template.root_render_func(template.new_context(values, shared=True)))
        except Exception:
            return template.render(values)  # raises again, with Jinja's report of where

    def take_made(self) -> dict[str, str]:
        fresh, self._fresh = self._fresh, {}
        return fresh

    def add(self, made: Mapping[str, str]) -> None:
        self.known.update(made)

    def worth_saving(self) -> bool:
        """Saving writes every kept item again (0.1 s at 10,000 articles): worth it when those
        kept were read (``known`` given) and many were made (a first build, other templates),
        not for the few an addition makes; the next build that shows them makes those again."""
        made = len(self.known) - self._count_read  # a key is made only when not known
        return self._read and made >= max(SAVE_MIN, self._count_read // 20)


class FragmentStore:
    """The fragments file: ``fragments.pickle`` in the cache folder, for one templates key."""

    def __init__(self, cache_dir: Path, templates: str):
        self.path = cache_dir / "fragments.pickle"
        self.stamp = (__version__, templates)

    def load(self, held: tuple[Any, dict[str, str]] | None = None) -> dict[str, str]:
        """The kept fragments: ``held`` (stamp, fragments), those this process kept in memory
        (see state.Session), if made for these templates; else the file's."""
        if held is not None and held[0] == self.stamp:
            return held[1]
        try:
            with self.path.open("rb") as handle:
                if pickle.load(handle) != self.stamp:
                    return {}
                found = pickle.load(handle)
            return found if isinstance(found, dict) else {}
        except Exception:  # a cache: missing, damaged or from another version is just empty
            return {}

    def save(self, fragments: Mapping[str, str], live: set[str]) -> None:
        """Keep the fragments of the items that still exist (``live``: their keys)."""
        kept = {k: v for k, v in fragments.items() if k.partition("\0")[0] in live}

        def write(handle: Any) -> None:
            pickle.dump(self.stamp, handle)
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)

        atomic_write(self.path, write)
