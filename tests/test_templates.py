"""The code templates compile to (templates._environment_class): it renders what Jinja's own
renders, through helpcenter's output escape, a run of text and values yielded as one piece;
and the ``number`` filter the environment gives templates."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup
from xss_payloads import PAYLOADS

from helpcenter._escape import output_escape
from helpcenter.config import load_config
from helpcenter.templates import make_environment, template_problem

OPTIONS = {"autoescape": True, "undefined": jinja2.StrictUndefined, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}

# Every construct whose output Jinja collects or yields: extends and blocks (called twice, as
# base.html's title is), includes, macros and call blocks, set blocks, filter blocks, loops
# with their loop variable, conditions within a run, whitespace control, raw text.
SOURCES = {
    "base.html": "<title>{% block title %}T {{ site }}{% endblock %}</title>\n<meta content=\"{{ self.title() }}\">\n{% block main %}{% endblock %}\n<footer>{{ site }} · {{ values | length }}</footer>\n",
    "_part.html": "<p class=\"{{ kind }}\">{{ values[0] }} and {{ values | join(', ') }}</p>\n",
    "page.html": (
        '{% extends "base.html" %}\n'
        "{% block title %}{{ values[0] }} · {{ super() }}{% endblock %}\n"
        "{% macro cell(v, wide=False) %}<td{% if wide %} class=\"w\"{% endif %}>{{ v }}</td>{% endmacro %}\n"
        "{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}\n"
        "{% block main %}\n"
        "{% set kind = 'x' %}{% include '_part.html' %}\n"
        "{% set captured %}[{{ values[1] }}|{{ values[2] }}]{% endset %}{{ captured }} {{ captured | length }}\n"
        "{% filter upper %}a {{ values[3] }} b{% endfilter %}\n"
        "<table>{% for v in values %}<tr>{{ cell(v, loop.index is even) }}{% if loop.last %}<td>{{ loop.length }}</td>{% endif %}</tr>\n{% endfor %}</table>\n"
        "{% call wrap() %}in {{ values[4] }} call{% endcall %}\n"
        "{%- for v in values if v %} {{ v ~ '!' }}{{ v is string }} {%- endfor %}\n"
        "{% raw %}{{ not a value }}{% endraw %} {{ 'const' }}{{ 3 * 7 }} {{ values[5] }}\n"
        "{% endblock %}\n"
    ),
}


class Html:
    def __html__(self) -> str:
        return "<em>trusted</em>"


class Text:
    def __str__(self) -> str:
        return "<i>as text</i> & more"


VALUES = [p.text for p in PAYLOADS] + [7, 2.5, None, True, Markup("<b>safe</b>"), Markup("a &amp; b"), Html(), Text(), "", "plain"]


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "articles").mkdir()
    (tmp_path / "templates").mkdir()
    for name, text in SOURCES.items():
        (tmp_path / "templates" / name).write_text(text, "utf-8")
    return load_config(tmp_path)


def test_templates_render_what_jinja_renders(config) -> None:  # type: ignore[no-untyped-def]
    ours = make_environment(config)
    stock = jinja2.Environment(loader=jinja2.DictLoader(SOURCES), **OPTIONS)
    for values in (VALUES, list(reversed(VALUES)), [v for v in VALUES if isinstance(v, str)]):
        expected = stock.get_template("page.html").render(values=values, site="<S&>")
        assert ours.get_template("page.html").render(values=values, site="<S&>") == expected
    expected = stock.get_template("page.html").render(values=VALUES, site="<S&>")
    assert "&lt;S&amp;&gt;" in expected and "<em>trusted</em>" in expected and "{{ not a value }}" in expected
    # read back from the compiled templates kept in the cache folder
    assert make_environment(config).get_template("page.html").render(values=VALUES, site="<S&>") == expected


def test_templates_output_values_through_helpcenters_escape(config) -> None:  # type: ignore[no-untyped-def]
    env = make_environment(config)
    for name in ("page.html", "listing.html", "article.html", "_item.html", "theme/base.html"):
        assert env.get_template(name).root_render_func.__globals__["escape"] is output_escape, name
    assert jinja2.Environment(autoescape=True).from_string("{{ x }}").root_render_func.__globals__["escape"] is not output_escape
    for value in VALUES:
        assert output_escape(value) == str(jinja2.utils.markupsafe.escape(value)), value


def test_a_run_of_text_and_values_is_one_piece(config) -> None:  # type: ignore[no-untyped-def]
    source = "<a href=\"{{ root }}{{ url }}\">{{ label }}</a>\n{% for n in numbers %}<li>{{ n }} of {{ numbers | length }}</li>{% endfor %}"
    env = make_environment(config)
    ours = list(env.from_string(source).generate(root="../", url="x/", label="X", numbers=[1, 2]))
    stock = list(jinja2.Environment(**OPTIONS).from_string(source).generate(root="../", url="x/", label="X", numbers=[1, 2]))
    assert "".join(ours) == "".join(stock)
    assert ours == ['<a href="../x/">X</a>\n', "<li>1 of 2</li>", "<li>2 of 2</li>"]
    assert len(stock) > 2 * len(ours)


def test_an_error_in_a_run_names_its_line(config) -> None:  # type: ignore[no-untyped-def]
    (config.templates_dir / "broken.html").write_text("<p>\n{{ site }} and\n{{ site.nope }} here</p>\n", "utf-8")
    env = make_environment(config)
    with pytest.raises(jinja2.UndefinedError) as raised:
        env.get_template("broken.html").render(site="s")
    problem = template_problem(raised.value, config)
    assert problem is not None and (problem.path, problem.line) == ("templates/broken.html", 3), problem


@pytest.mark.parametrize(("locale", "shown"), [("en_GB", "12,345"), ("de_DE", "12.345")])
def test_the_theme_shows_article_counts_in_the_sites_locale(tmp_path: Path, locale: str, shown: str) -> None:
    from helpcenter.pages import Tab

    (tmp_path / "helpcenter.yml").write_text(f"locale: {locale}\n", "utf-8")
    env = make_environment(load_config(tmp_path))
    tabs = [Tab("all", "All", "", 12345), Tab("faq", "FAQ", "faq/", 1)]
    html = env.get_template("_tabs.html").render(tabs=tabs, tab=tabs[0], root="./", page_url="")
    assert f'(</span>{shown}<span class="visually-hidden"> articles)' in html
    assert '(</span>1<span class="visually-hidden"> articles)' in html
