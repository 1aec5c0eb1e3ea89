"""Text that tries to become markup: accepted as text, shown as typed, never executed.

Each payload goes into every text field of a workshop at once; the workshop validates
(exit 0, it is valid text), the strict build passes, and no page of the built site carries
a script, an event handler, a javascript: link, an injected id or class, or a broken table.
"""

from __future__ import annotations

import html as html_lib

import pytest
import yaml

from prepbook.model.fields import MAX_SHORT_TEXT
from tests.conftest import minimal
from tests.sitecheck import broken_links, read_site

PAYLOADS: dict[str, str] = {
    "script-tag": "<script>alert('script-tag')</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "svg-onload": "<svg onload=alert(2)>",
    "javascript-link": "[click me](javascript:alert(3))",
    "markdown-image": "![tracker](http://example.invalid/pixel.png)",
    "autolink": "<http://example.invalid/phish>",
    "textarea-breakout": "</textarea><b>bold</b>",
    "title-breakout": "</title><script>alert(4)</script>",
    "attribute-breakout": '" onmouseover="alert(5)" x="',
    "single-quote-breakout": "' onfocus='alert(6)' autofocus='",
    "table-pipes": "a | b | c || d",
    "attr-list-id": "heading {#injected-id}",
    "attr-list-class": "text {: .injected-class }",
    "jinja-expression": "{{ 7 * 7 }} {% if true %}yes{% endif %} {# comment #}",
    "markdown-emphasis": "*em* __strong__ `code` ~~gone~~ ==mark==",
    "html-entities": "&lt;b&gt; &amp;amp; &#60;script&#62;",
    "md-in-html": '<div markdown="1">**bold**</div>',
    "heading-and-list": "# Heading\n\n- item\n\n1. item\n\n> quote\n\n---",
}
SHORT = {"title", "name", "role", "organisation", "unit"}
LONG = {
    "summary",
    "notes",
    "scenario",
    "action",
    "evidence",
    "description",
    "definition",
    "trigger",
    "audience",
    "context",
    "content",
    "measure",
    "overcome_by",
    "reason",
}


def loaded_with(payload: str) -> str:
    data = yaml.safe_load(minimal("attacked"))
    data["summary"] = ""
    data["team"][0].update(role="", notes="")
    data["audit"][0].update(evidence="", description="", notes="")
    data["metrics"][0].update(definition="", unit="")
    data["persofails"][0]["mitigations"] = [{"id": "m", "action": "", "owner": "fay"}]
    data["priorities"][0].update(summary="")
    data["barriers"] = [{"id": "b", "title": "", "overcome_by": "", "owner": "dan"}]
    data["roadmap"]["phases"][0]["description"] = ""
    one_line = " ".join(payload.split())[:MAX_SHORT_TEXT]

    def fill(node: object) -> None:
        if isinstance(node, dict):
            for key in list(node):
                if key in SHORT:
                    node[key] = one_line
                elif key in LONG:
                    node[key] = payload
                else:
                    fill(node[key])
        elif isinstance(node, list):
            for item in node:
                fill(item)

    fill(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_is_shown_as_text(attack, name: str) -> None:
    result = attack(f"injection-{name}", {"attacked.yaml": loaded_with(PAYLOADS[name])})
    assert result.validate.code == 0, result.validate.out
    assert result.build.code == 0, result.build.err
    site = result.root / "site"
    pages = read_site(site)
    for page, info in pages.items():
        assert info.handlers == [], (page, info.handlers)
        assert not any(link.strip().lower().startswith("javascript:") for link in info.links)
        assert not [code for code in info.scripts if "alert" in code], page
        assert "injected-id" not in info.ids, page
        assert not any("example.invalid" in src for src in info.images), page
        raw = (site / page).read_text(encoding="utf-8")
        assert "injected-class" not in raw.split("class=")[0] or 'class="injected' not in raw
        assert "<b>bold</b>" not in raw and "<strong>strong</strong>" not in raw, page
    workshop = pages["playbook/workshops/attacked/index.html"]
    shown = " ".join(workshop.text.split())
    expected = " ".join(
        "".join(c if c.isprintable() or c.isspace() else "" for c in PAYLOADS[name]).split()
    )
    assert expected in shown or html_lib.unescape(expected) in shown, (expected, shown[:500])
    assert broken_links(site, pages) == []
