"""Known cross-site-scripting payloads, and the generated help center that carries them.

Every payload, if it ever ran in a browser, calls ``alert(<n>)`` and/or requests its own beacon
URL ``http://127.0.0.1:9/xss-<n>`` (port 9 is "discard": nothing answers, but the browser test
sees the request). Nothing in a payload requests a beacon URL *without* running script or
hijacking the page (a ``<base>``, a meta refresh, an injected stylesheet), so a beacon request
always means an injection worked.

Templates use two tokens: ``ALERT`` (``alert(<n>)``) and ``BEACON`` (the beacon URL).
``write_payload_site`` writes a site that puts each payload through every input an editor
controls: title, summary (explicit and derived), tags, and the Markdown body in many contexts,
plus the site's own title, description and a category label.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BEACON_ORIGIN = "http://127.0.0.1:9"
BEACON_PATH = "/xss-"
CANARY = "xsscanary"
"""A word in every payload article: searching for it lists them all."""

_TEMPLATES: list[tuple[str, str]] = [
    # --- classic HTML ---------------------------------------------------------------------
    ("script", "<script>ALERT;fetch('BEACON')</script>"),
    ("img-onerror", "<img src=x onerror=\"ALERT;fetch('BEACON')\">"),
    ("svg-onload", "<svg onload=\"ALERT;fetch('BEACON')\">"),
    ("svg-slash-onload", "<svg/onload=ALERT>"),
    ("svg-script", "<svg><script>ALERT;fetch('BEACON')</script></svg>"),
    ("svg-animate-onbegin", '<svg><animate onbegin="ALERT" attributeName="x" dur="1s"></animate></svg>'),
    ("svg-xlink-href", '<svg><a xlink:href="javascript:ALERT"><text x="20" y="20">click</text></a></svg>'),
    ("iframe-javascript", '<iframe src="javascript:ALERT"></iframe>'),
    ("iframe-srcdoc", "<iframe srcdoc=\"&lt;script&gt;parent.ALERT;fetch('BEACON')&lt;/script&gt;\"></iframe>"),
    ("iframe-data", '<iframe src="data:text/html,&lt;script&gt;ALERT&lt;/script&gt;"></iframe>'),
    # An allow-listed host (the site allows www.youtube-nocookie.com), with a handler and srcdoc.
    ("iframe-allowed-host-onload", "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" onload=\"ALERT;fetch('BEACON')\" srcdoc=\"&lt;script&gt;parent.ALERT&lt;/script&gt;\"></iframe>"),
    ("iframe-host-confusion", '<iframe src="https://www.youtube-nocookie.com@127.0.0.1:9/xss-N"></iframe>'),
    ("a-javascript", '<a href="javascript:ALERT">click</a>'),
    ("a-javascript-mixed-case", '<a href="JaVaScRiPt:ALERT">click</a>'),
    ("a-javascript-entity-tab", '<a href="java&#x09;script:ALERT">click</a>'),
    ("a-javascript-all-entities", '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;ALERT">click</a>'),
    ("a-javascript-leading-space", '<a href=" &#14;  javascript:ALERT">click</a>'),
    ("a-vbscript", '<a href="vbscript:msgbox(N)">click</a>'),
    ("a-data-html", '<a href="data:text/html;base64,B64">click</a>'),
    ("attribute-breakout", "\"><script>ALERT</script>"),
    ("single-quote-breakout", "'><img src=x onerror=ALERT>"),
    ("js-string-breakout", "'-ALERT-'"),
    ("js-double-string-breakout", "\";ALERT;//"),
    ("template-literal", "${ALERT}"),
    ("script-close-breakout", "</script><script>ALERT;fetch('BEACON')</script>"),
    ("split-script", "<scr<script>ipt>ALERT</scr</script>ipt>"),
    ("nested-brackets", "<<script>script>ALERT<</script>/script>"),
    ("comment-breakout", "--><script>ALERT</script><!--"),
    ("textarea-title-breakout", "</title></textarea><script>ALERT</script>"),
    # --- mutation XSS (parser differentials) ------------------------------------------------
    ("mxss-math-style", "<math><mtext><table><mglyph><style><img src=x onerror=\"ALERT;fetch('BEACON')\">"),
    ("mxss-noscript", "<noscript><p title=\"</noscript><img src=x onerror=ALERT>\">"),
    ("mxss-svg-style", "<svg></p><style><a id=\"</style><img src=1 onerror=ALERT>\">"),
    ("mxss-form-math", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=ALERT>"),
    # --- handlers and active elements -----------------------------------------------------------
    ("details-ontoggle", "<details open ontoggle=\"ALERT;fetch('BEACON')\"><summary>x</summary></details>"),
    ("body-onload", "<body onload=\"ALERT;fetch('BEACON')\">"),
    ("object-data", '<object data="javascript:ALERT"></object><object data="data:text/html;base64,B64"></object>'),
    ("embed-src", '<embed src="javascript:ALERT"><embed src="data:text/html;base64,B64">'),
    ("form-action", '<form action="javascript:ALERT"><button>go</button></form><button formaction="javascript:ALERT">go</button>'),
    ("input-autofocus", "<input autofocus onfocus=\"ALERT;fetch('BEACON')\">"),
    ("video-source-onerror", "<video><source onerror=\"ALERT;fetch('BEACON')\"></video>"),
    ("marquee-onstart", "<marquee onstart=\"ALERT\">x</marquee>"),
    ("custom-element-handlers", "<x-y onclick=ALERT onanimationstart=ALERT style=\"animation-name:x\">x</x-y>"),
    ("img-entity-handler", '<img src="x" onerror="&#97;lert(N)">'),
    ("base-href", '<base href="BEACON/">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:ALERT"><meta http-equiv="refresh" content="1;url=BEACON">'),
    ("style-import", "<style>@import 'BEACON';</style><div style=\"background:url(BEACON)\">x</div>"),
    ("link-stylesheet", '<link rel="stylesheet" href="BEACON"><link rel="import" href="BEACON">'),
    ("template-injection", "{{7*7}} {{ self.__init__.__globals__ }} {% if true %}JINJA-EVALUATED{% endif %} {# c #} end"),
    # --- Markdown-specific ----------------------------------------------------------------------
    ("md-link-javascript", "[click](javascript:ALERT)"),
    ("md-link-mixed-case", "[click](JaVaScRiPt:ALERT)"),
    ("md-link-tab", "[click](java\tscript:ALERT)"),
    ("md-link-entity", "[click](&#106;avascript:ALERT)"),
    ("md-link-named-entity", "[click](javascript&colon;ALERT)"),
    ("md-link-angle", "[click](<javascript:ALERT>)"),
    ("md-link-data", "[click](data:text/html;base64,B64)"),
    ("md-image-javascript", "![img](javascript:ALERT)"),
    ("md-image-quote-breakout", '![img](x"onerror="ALERT)'),
    ("md-link-title-breakout", '[click](https://example.com/ "x\\" onmouseover=\\"ALERT")'),
    ("md-reference-link", "[click][ref-N]\n\n[ref-N]: javascript:ALERT"),
    ("md-autolink", "<javascript:ALERT>"),
    ("md-attr-list-handler", "para\n{: onclick=\"ALERT\" onmouseover=\"ALERT\" }"),
    ("md-attr-list-href", '[click](https://example.com/){: href="javascript:ALERT" onfocus="ALERT" autofocus }'),
    ("md-fence-language", "```\"><script>ALERT</script>\nx\n```"),
    ("md-admonition-title", '!!! note "<img src=x onerror=ALERT>"\n    <svg onload=ALERT>'),
]


@dataclass(frozen=True)
class Payload:
    n: int
    name: str
    text: str
    """Exactly as an editor or reader types it (may span lines)."""

    @property
    def line(self) -> str:
        """As one-line text fields keep it: whitespace runs become one space."""
        return " ".join(self.text.split())

    @property
    def slug(self) -> str:
        return f"p{self.n:02d}-{self.name}"

    def __str__(self) -> str:  # pytest ids
        return f"{self.n:02d}-{self.name}"


def beacon(n: int | str) -> str:
    return f"{BEACON_ORIGIN}{BEACON_PATH}{n}"


def is_beacon(url: str) -> bool:
    """A request only a payload makes: to the beacon port, or to a /xss-<n> path on any host
    (a hijacked <base> or a redirect sends the page's own requests there)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname == "127.0.0.1" and port == 9) or re.search(r"/xss-\d+", parts.path) is not None


def _expand(n: int, template: str) -> str:
    html_page = f"<script>alert({n});fetch('{beacon(n)}')</script>"
    b64 = base64.b64encode(html_page.encode()).decode()
    return (
        template.replace("ALERT", f"alert({n})")
        .replace("BEACON", beacon(n))
        .replace("B64", b64)
        .replace("xss-N", f"xss-{n}")
        .replace("(N)", f"({n})")
        .replace("ref-N", f"ref-{n}")
    )


PAYLOADS: list[Payload] = [Payload(i, name, _expand(i, t)) for i, (name, t) in enumerate(_TEMPLATES, start=1)]

# Payloads for the site configuration (helpcenter.yml); numbered after the article payloads.
_CONFIG_BASE = len(PAYLOADS) + 1
SITE_TITLE = _expand(_CONFIG_BASE, "</script><script>ALERT</script><!--<script>")
SITE_DESCRIPTION = _expand(_CONFIG_BASE + 1, "\"><img src=x onerror=ALERT>")
FAQ_LABEL = _expand(_CONFIG_BASE + 2, "<img src=x onerror=ALERT>FAQ")


def yaml_text(value: str) -> str:
    """A YAML double-quoted scalar whose value is exactly ``value`` (JSON strings are YAML)."""
    return json.dumps(value)


def article_files(payloads: list[Payload] = PAYLOADS) -> dict[str, str]:
    """Two articles per payload (file name → text), both with the payload as their title.

    ``-a``: explicit summary and tags are the payload; the body has it as a block and inline.
    ``-b``: no summary (it is derived from the first paragraph, which holds the payload); the
    body has it in headings (so the table of contents shows), a table, a quote, a list, an
    admonition, code, a link text and a fenced block.
    """
    files: dict[str, str] = {}
    for i, p in enumerate(payloads):
        category = ("faq", "announcements", "product-documents")[i % 3]
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        front = [
            "---",
            f"title: {yaml_text(p.text)}",
            f"category: {category}",
            f"published: {day}",
            f"views: {100 + i}",
        ]
        a = front + [
            f"slug: {p.slug}-a",
            f"summary: {yaml_text(p.text)}",
            f"tags: [{yaml_text(p.text)}, {CANARY}]",
            "---",
            f"Payload {p.n} {CANARY} sits right after this sentence.",
            "",
            p.text,
            "",
            f"Inline: {p.text} and {CANARY} after it.",
            "",
        ]
        line = p.line
        b = front + [
            f"slug: {p.slug}-b",
            "---",
            f"{p.text} {CANARY}",
            "",
            f"## {line}",
            "",
            f"### Second {line}",
            "",
            f"## Third {line}",
            "",
            "| column | other |",
            "| --- | --- |",
            f"| {line} | {CANARY} |",
            "",
            f"> {line}",
            "",
            f"- {line}",
            f"- [{line}](https://example.com/)",
            "",
            f'!!! warning "{line}"',
            f"    {line}",
            "",
            f"Code: `{line}`",
            "",
            "```html",
            p.text,
            "```",
            "",
        ]
        files[f"articles/{category}/{p.slug}-a.md"] = "\n".join(a)
        files[f"articles/{category}/{p.slug}-b.md"] = "\n".join(b)
    return files


def site_config(raw_html: str = "sanitize") -> str:
    return "\n".join(
        [
            f"title: {yaml_text(SITE_TITLE)}",
            f"description: {yaml_text(SITE_DESCRIPTION)}",
            "page_size: 500",
            "categories:",
            f"  - {{id: faq, label: {yaml_text(FAQ_LABEL)}}}",
            "  - {id: announcements, label: Announcements}",
            "  - {id: product-documents, label: Product documents}",
            "markdown:",
            f"  raw_html: {raw_html}",
            "  iframe_hosts: [www.youtube-nocookie.com]",
            "",
        ]
    )


def write_payload_site(root: Path, raw_html: str = "sanitize") -> Path:
    """The payload help center's sources under ``root`` (build it with ``helpcenter build``)."""
    files = {"helpcenter.yml": site_config(raw_html), **article_files()}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root
