"""Listing items rendered once and kept between builds.

Every listing page shows the tabs' counts, and an article added or deleted moves every later
item to another place: at 10,000 articles all 2,000 listing pages are rendered again, and the
20 items on each were most of that work. An item's markup depends only on the item, the way
back to the site root and whether its category shows, so ``listing.html`` asks
``listing_items(items)`` (or ``listing_item(item)`` for one), which renders ``_item.html``
with exactly those values (and the ``site`` global) and keeps the result under them. Kept in
the cache folder for the templates and settings they were made with; anything unreadable or
from other templates is ignored. The file is mapped, not read (see KeptFragments).
"""

from __future__ import annotations

import mmap
import os
import pickle
from abc import abstractmethod
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .cache import atomic_write
from .pages import unwrapped

LOAD_MIN_PAGES = 64
"""Listing pages to render before the kept items are worth opening (their keys: 2.5 MB at
10,000 articles; an item takes 25 µs to render, twenty on a page)."""
SAVE_MIN = 64
"""Items to make before all kept ones are written again (see ItemFragments.worth_saving)."""


class ItemFragments:
    """``listing_item(item)`` in ``env``'s templates: the item's ``_item.html`` markup, made once;
    ``listing_items(items)``: theirs, one after another.

    ``keys``: URL → the item's key (pages.item_key: a digest of everything an item shows).
    ``known``: the fragments kept from earlier builds, if read."""

    def __init__(self, env: Any, keys: Mapping[str, str], known: Mapping[str, str] | None = None):
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
        self.known: Mapping[str, str] = known if known is not None else {}
        """Those read, or held by this process since its last build."""
        self.made: dict[str, str] = {}
        """Made by this build (here, or by forked workers that sent them); never in ``known``."""
        self._fresh: dict[str, str] = {}
        """Made here since ``take_made`` last ran (what a forked worker sends back)."""

    def __call__(self, context: Any, item: Any) -> Any:
        return self.join(context, (item,))

    def join(self, context: Any, items: Any) -> Any:
        root, show = context["root"], bool(context.get("show_category", False))
        return self._markup("".join([self._html(item, root, show) for item in items]))

    def _html(self, item: Any, root: str, show: bool) -> str:
        key = f"{self._keys[item.url]}\0{'+' if show else '-'}{root}"
        html = self.made.get(key)
        if html is None:
            html = self.known.get(key)
            if html is None:
                html = self.made[key] = self._fresh[key] = self._render(unwrapped(item), root, show)
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
        self.made.update(made)

    def everything(self) -> Mapping[str, str]:
        """The items known and made: what a next build in this process starts from, and what
        saving writes."""
        return Layered(self.made, self.known) if self.made else self.known

    def worth_saving(self) -> bool:
        """Saving writes every kept item again (0.1 s at 10,000 articles): worth it when those
        kept were read (``known`` given) and many were made (a first build, other templates),
        not for the few an addition makes; the next build that shows them makes those again."""
        return self._read and len(self.made) >= max(SAVE_MIN, len(self.known) // 20)


class _Items(Mapping[str, str]):
    """Items by key, looked up with ``get`` (None: absent, or unreadable)."""

    @abstractmethod
    def get(self, key: str, default: Any = None) -> Any: ...

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found


class KeptFragments(_Items):
    """The fragments file's items: every key, and each item's UTF-8 bytes in one block of the
    file (mapped, not read), decoded when a page asks for it.

    At 10,000 articles the file holds 40,000 items (37 MB). Kept as one pickled dict, it took
    50–75 ms to read on every addition, before a listing page could render. Mapped, opening it
    reads only the keys, and each process decodes the items it shows."""

    def __init__(self, keys: list[str], ends: array, block: Any):
        self._keys = keys
        self._index = dict(zip(keys, range(len(keys))))
        self._ends = ends
        self._block = block

    def _bytes(self, index: int) -> Any:
        return self._block[self._ends[index - 1] if index else 0 : self._ends[index]]

    def raw(self, key: str) -> bytes:
        return bytes(self._bytes(self._index[key]))

    def get(self, key: str, default: Any = None) -> Any:
        index = self._index.get(key)
        if index is None:
            return default
        try:
            return str(self._bytes(index), "utf-8")
        except UnicodeDecodeError:  # damaged in place: made again, as a missing one is
            return default

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Layered(_Items):
    """Items a build made, over those it started from (see ItemFragments.everything)."""

    def __init__(self, made: dict[str, str], under: Mapping[str, str]):
        if isinstance(under, Layered):  # builds one after another in one process: one layer
            made, under = {**under.made, **made}, under.under
        self.made = made
        self.under = under
        # Counted once: worth_saving asks each build, and the kept items are 40,000 at 10,000
        # articles. A made key is in ``under`` only where its bytes there failed to decode.
        self._size = len(under) + sum(1 for key in made if key not in under)

    def raw(self, key: str) -> bytes:
        found = self.made.get(key)
        return found.encode("utf-8") if found is not None else _raw(self.under, key)

    def get(self, key: str, default: Any = None) -> Any:
        found = self.made.get(key)
        return found if found is not None else self.under.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.made or key in self.under

    def __iter__(self) -> Iterator[str]:
        yield from self.made
        yield from (key for key in self.under if key not in self.made)

    def __len__(self) -> int:
        return self._size


def _raw(fragments: Mapping[str, str], key: str) -> bytes:
    raw = getattr(fragments, "raw", None)
    return raw(key) if raw is not None else fragments[key].encode("utf-8")


class FragmentStore:
    """The fragments file: ``fragments.pickle`` in the cache folder, for one templates key.

    Three parts: the stamp (pickled), the keys with where each item ends (pickled), then the
    items' UTF-8 bytes one after another."""

    def __init__(self, cache_dir: Path, templates: str):
        self.path = cache_dir / "fragments.pickle"
        self.stamp = (__version__, templates)

    def load(self, held: tuple[Any, Mapping[str, str]] | None = None) -> Mapping[str, str]:
        """The kept fragments: ``held`` (stamp, fragments), those this process kept in memory
        (see state.Session), if made for these templates; else the file's."""
        if held is not None and held[0] == self.stamp:
            return held[1]
        try:
            with self.path.open("rb") as handle:
                if pickle.load(handle) != self.stamp:
                    return {}
                keys, ends = pickle.load(handle)
                ends, start = array("q", ends), handle.tell()
                size = os.fstat(handle.fileno()).st_size
                if not keys or len(keys) != len(ends) or ends[-1] != size - start:
                    return {}  # none kept, or cut short
                block = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))[start:]
            return KeptFragments(keys, ends, block)
        except Exception:  # a cache: missing, damaged or from another version is just empty
            return {}

    def save(self, fragments: Mapping[str, str], live: set[str]) -> None:
        """Keep the fragments of the items that still exist (``live``: their keys)."""
        keys = [key for key in fragments if key.partition("\0")[0] in live]
        parts = [_raw(fragments, key) for key in keys]
        ends, end = array("q"), 0
        for part in parts:
            end += len(part)
            ends.append(end)

        def write(handle: Any) -> None:
            pickle.dump(self.stamp, handle)
            pickle.dump((keys, ends.tobytes()), handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.writelines(parts)

        atomic_write(self.path, write)
