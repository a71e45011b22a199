"""An XSS corpus as data, the checks the XSS tests share, and a hostile news site built from both.

Every vector tries to call the global `__xss(n)` with its own id `n` when it runs, so a
browser-level hook (`window.__xss = n => __hits.push(n)`) tells exactly which vectors ran.
A vector is written once as a template: `{n}` is its id, `{b64html}` the base64 of
`<script>__xss(n)</script>`, `{b64js}` the base64 of `__xss(n)`, `{codes}` the char codes of
`__xss(n)` (for String.fromCharCode), `{{`/`}}` literal braces. Vectors in frames that cannot
reach the top window (data: URLs, opaque origins) still call `__xss(n)`: the hook runs in every
frame.

`breaks_page` marks vectors that swallow what follows them when pasted raw into a page
(<plaintext>, unclosed tags, attributes, comments or raw-text elements): page builders put
those last. (Measured in Chromium: the element after such a vector is gone or eaten.)

The checks, by parsing and never by eye: `unsafe_html` (lxml's tree, plus the start tags of the
raw text tokenized the way a browser does, because libxml2 does not parse HTML like one),
`unsafe_xml_feed` and `unsafe_json_feed`. Unsafe means: a script other than the site's own
(JSON-LD that parses and cannot end early, or a /static/ file), an on* attribute, a
javascript:/vbscript:/data: URL, a frame/object/embed/base/meta http-equiv, inline style.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape, unescape
from typing import Final

from lxml import etree
from lxml import html as lxml_html

CALL: Final = "__xss"


@dataclass(frozen=True)
class Vector:
    id: int
    category: str
    html: str
    breaks_page: bool = False


# (category, template, breaks_page). Order is the id order: append, never reorder.
_TEMPLATES: Final[tuple[tuple[str, str, bool], ...]] = (
    # --- script tags in many spellings
    ("script", "<script>__xss({n})</script>", False),
    ("script", "<SCRIPT>__xss({n})</SCRIPT>", False),
    ("script", "<ScRiPt>__xss({n})</sCrIpT>", False),
    ("script", '<script type="text/javascript">__xss({n})</script>', False),
    ("script", "<script type=module>__xss({n})</script>", False),
    ("script", "<script >__xss({n})</script >", False),
    ("script", "<script\n>__xss({n})</script\n>", False),
    ("script", "<script/x>__xss({n})</script>", False),
    ("script", "<script x=y>__xss({n})</script x>", False),
    ("script", '<script src="data:text/javascript,__xss({n})"></script>', False),
    ("script", "<script src=data:,__xss({n})></script>", False),
    ("script", "<script>//<!--\n__xss({n})//--></script>", False),
    ("script", "<script>eval('__x'+'ss({n})')</script>", False),
    ("script", "<script>window['__xss']({n})</script>", False),
    ("script", "<script>setTimeout('__xss({n})')</script>", False),
    ("script", "<script>\\u005f\\u005fxss({n})</script>", False),
    ("script", "<script>/**/__xss/**/({n})</script>", False),
    ("script", "<script>import('data:text/javascript,__xss({n})')</script>", False),
    ("script", "<script src=data:text/javascript;base64,{b64js}></script>", False),
    ("script", "<scr<script>ipt>__xss({n})</scr</script>ipt>", False),
    ("script", "<<script>__xss({n});//<</script>", False),
    ("script", "<script>__xss({n})</script", True),
    ("script", "<script\t>__xss({n})</script\t>", False),
    # --- breaking out of the context a value lands in
    ("breakout", '"><script>__xss({n})</script>', False),
    ("breakout", "'><script>__xss({n})</script>", False),
    ("breakout", "</title><script>__xss({n})</script>", False),
    ("breakout", "</textarea><script>__xss({n})</script>", False),
    ("breakout", "</style><script>__xss({n})</script>", False),
    ("breakout", "</noscript><script>__xss({n})</script>", False),
    ("breakout", "</xmp><script>__xss({n})</script>", False),
    ("breakout", "</script><script>__xss({n})</script>", False),
    ("breakout", "--><script>__xss({n})</script>", False),
    ("breakout", "]]><script>__xss({n})</script>", False),
    ("breakout", '" autofocus onfocus="__xss({n})" x="', False),
    ("breakout", "' onmouseover='__xss({n})' x='", False),
    ("breakout", '" onerror="__xss({n})', False),
    ("breakout", '"}</script><script>__xss({n})</script>', False),
    ("breakout", "\u2028</script><script>__xss({n})</script>", False),
    # --- comments and bogus comments
    ("comment", "<!--><script>__xss({n})</script>-->", False),
    ("comment", "<!---><script>__xss({n})</script>", False),
    ("comment", "<!-- x --!><script>__xss({n})</script>", False),
    ("comment", "<![CDATA[><script>__xss({n})</script>]]>", False),
    ("comment", "<?xml x?><script>__xss({n})</script>", False),
    ("comment", '<!--<img src="--><img src=x onerror=__xss({n})//">', False),
    ("comment", "<!--<script>__xss({n})//-->", False),
    ("comment", "<!-- <script>__xss({n})</script>", True),
    # --- event handlers
    ("event", "<img src=x onerror=__xss({n})>", False),
    ("event", "<IMG SRC=x ONERROR=__xss({n})>", False),
    ("event", '<img src=x onerror="__xss({n})">', False),
    ("event", "<img src=x onerror='__xss({n})'>", False),
    ("event", '<img/src="x"/onerror=__xss({n})>', False),
    ("event", "<img src=x onerror\n=__xss({n})>", False),
    ("event", '<img src="x:__xss({n})" onerror="eval(src.slice(2))">', False),
    ("event", '<img """><script>__xss({n})</script>">', False),
    ("event", "<image src=x onerror=__xss({n})>", False),
    ("event", "<img src=x onerror=[{n}].map(__xss)>", False),
    ("event", "<img src=x onerror=__xss.call(null,{n})>", False),
    ("event", "<img src=x onerror=\"Function('__xss({n})')()\">", False),
    ("event", "<img src=x onerror=top[/__xss/.source]({n})>", False),
    ("event", "<img src=x onerror=eval(atob('{b64js}'))>", False),
    ("event", "<img src=x onerror=eval(String.fromCharCode({codes}))>", False),
    ("event", "<img src=x onerror=\"location='javascript:__xss({n})'\">", False),
    ("event", "<img src=x onerror=import('data:text/javascript,__xss({n})')>", False),
    ("event", "<img srcset=x onerror=__xss({n})>", False),
    ("event", "<picture><source srcset=x><img onerror=__xss({n})></picture>", False),
    ("event", "<input type=image src=x onerror=__xss({n})>", False),
    ("event", "<svg onload=__xss({n})>", False),
    ("event", "<svg/onload=__xss({n})>", False),
    ("event", "<body onload=__xss({n})>", False),
    ("event", "<body onpageshow=__xss({n})>", False),
    ("event", "<details open ontoggle=__xss({n})></details>", False),
    ("event", '<details/open/ontoggle="__xss({n})"></details>', False),
    ("event", "<video src=x onerror=__xss({n})></video>", False),
    ("event", "<video><source onerror=__xss({n})></video>", False),
    ("event", "<audio src=x onerror=__xss({n})></audio>", False),
    ("event", "<audio><source src=x onerror=__xss({n})></audio>", False),
    ("event", "<input autofocus onfocus=__xss({n})>", False),
    ("event", "<select autofocus onfocus=__xss({n})></select>", False),
    ("event", "<textarea autofocus onfocus=__xss({n})></textarea>", False),
    ("event", "<xss autofocus tabindex=1 onfocus=__xss({n})></xss>", False),
    ("event", "<div contenteditable autofocus onfocus=__xss({n})></div>", False),
    ("event", "<input onblur=__xss({n}) autofocus><input autofocus>", False),
    ("event", "<marquee onstart=__xss({n})>x</marquee>", False),
    ("event", "<iframe onload=__xss({n})></iframe>", False),
    ("event", "<style onload=__xss({n})></style>", False),
    ("event", "<link rel=stylesheet href=x onerror=__xss({n})>", False),
    ("event", "<a href=# onclick=__xss({n})>x</a>", False),
    ("event", "<div onpointerenter=__xss({n})>x</div>", False),
    ("event", '<img src=x onerror="window.onerror=__xss;throw {n}">', False),
    # --- javascript:, vbscript: and data: URLs, obfuscated
    ("url", '<a href="javascript:__xss({n})">x</a>', False),
    ("url", '<a href="JaVaScRiPt:__xss({n})">x</a>', False),
    ("url", '<a href=" javascript:__xss({n})">x</a>', False),
    ("url", '<a href="java&#x09;script:__xss({n})">x</a>', False),
    ("url", '<a href="java&#10;script:__xss({n})">x</a>', False),
    ("url", '<a href="jav\tascript:__xss({n})">x</a>', False),
    ("url", '<a href="&#1;javascript:__xss({n})">x</a>', False),
    (
        "url",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;__xss({n})">x</a>',
        False,
    ),
    ("url", '<a href="&#x6A;avascript&colon;__xss&lpar;{n}&rpar;">x</a>', False),
    ("url", '<a href="javascript&#0000058__xss({n})">x</a>', False),
    ("url", '<a href="javascript://%0a__xss({n})">x</a>', False),
    ("url", '<a href="javascript:%5f%5fxss({n})">x</a>', False),
    ("url", "<a href=javascript:__xss({n})>x</a>", False),
    ("url", '<a href="vbscript:__xss({n})">x</a>', False),
    ("url", '<a href="data:text/html,<script>__xss({n})</script>">x</a>', False),
    ("url", '<a href="data:text/html;base64,{b64html}">x</a>', False),
    ("url", '<area href="javascript:__xss({n})">', False),
    ("url", '<form action="javascript:__xss({n})"><input type=submit></form>', False),
    ("url", '<form><button formaction="JaVaScRiPt:__xss({n})">x</button></form>', False),
    ("url", '<form action="&#106;avascript:__xss({n})" method=post><button>x</button></form>', False),
    ("url", '<form id=f{n}></form><button form=f{n} formaction="javascript:__xss({n})">x</button>', False),
    ("url", '<iframe src="javascript:parent.__xss({n})"></iframe>', False),
    ("url", '<iframe src="data:text/html,<script>__xss({n})</script>"></iframe>', False),
    ("url", '<embed src="javascript:__xss({n})">', False),
    ("url", '<embed src="data:text/html;base64,{b64html}">', False),
    ("url", '<object data="javascript:__xss({n})"></object>', False),
    ("url", '<object data="data:text/html;base64,{b64html}"></object>', False),
    ("url", "<object><param name=src value=javascript:__xss({n})></object>", False),
    ("url", '<video poster="javascript:__xss({n})"></video>', False),
    ("url", '<table background="javascript:__xss({n})"><tr><td>x</td></tr></table>', False),
    ("url", '<img dynsrc="javascript:__xss({n})" lowsrc="javascript:__xss({n})">', False),
    ("url", '<base href="javascript:__xss({n})//"><a href="/x">x</a>', False),
    ("url", '<meta http-equiv="refresh" content="0;url=javascript:__xss({n})">', False),
    (
        "url",
        "<meta http-equiv=refresh content=\"0; URL='data:text/html,<script>__xss({n})</script>'\">",
        False,
    ),
    ("url", '<link rel=prefetch href="javascript:__xss({n})">', False),
    ("url", "javascript:__xss({n})", False),
    # --- SVG
    ("svg", "<svg><script>__xss({n})</script></svg>", False),
    ("svg", '<svg><script href="data:text/javascript,__xss({n})"/></svg>', False),
    ("svg", "<svg><script xlink:href=data:,__xss({n})></script></svg>", False),
    ("svg", '<svg><a xlink:href="javascript:__xss({n})"><text x=20 y=20>x</text></a></svg>', False),
    ("svg", '<svg><a href="javascript:__xss({n})"><circle r=40 /></a></svg>', False),
    ("svg", "<svg><animate onbegin=__xss({n}) attributeName=x dur=1s></svg>", False),
    ("svg", "<svg><set onbegin=__xss({n}) attributeName=x to=1></svg>", False),
    (
        "svg",
        '<svg><animate xlink:href=#a{n} attributeName=href values="javascript:__xss({n})"/>'
        "<a id=a{n}><text y=20>x</text></a></svg>",
        False,
    ),
    ("svg", "<svg><foreignObject><img src=x onerror=__xss({n})></foreignObject></svg>", False),
    (
        "svg",
        '<svg><foreignObject><iframe srcdoc="<script>parent.__xss({n})</script>"></iframe>'
        "</foreignObject></svg>",
        False,
    ),
    ("svg", "<svg><image href=x onerror=__xss({n})></svg>", False),
    ("svg", "<svg><title><img src=x onerror=__xss({n})></title></svg>", False),
    ("svg", "<svg><desc><img src=x onerror=__xss({n})></desc></svg>", False),
    ("svg", "<svg><style><img src=x onerror=__xss({n})></style></svg>", False),
    (
        "svg",
        "<object data=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='__xss({n})'/>\">"
        "</object>",
        False,
    ),
    ("svg", "<svg><style>*{{fill:url(javascript:__xss({n}))}}</style></svg>", False),
    # --- MathML
    ("mathml", "<math><mtext><img src=x onerror=__xss({n})></mtext></math>", False),
    (
        "mathml",
        '<math><annotation-xml encoding="text/html"><img src=x onerror=__xss({n})></annotation-xml></math>',
        False,
    ),
    ("mathml", '<math href="javascript:__xss({n})"><mi>x</mi></math>', False),
    (
        "mathml",
        '<math><maction actiontype="statusline" xlink:href="javascript:__xss({n})">x<mtext>y</mtext>'
        "</maction></math>",
        False,
    ),
    ("mathml", "<math><mtext><table><mglyph><style><img src=x onerror=__xss({n})>", True),
    ("mathml", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss({n})>", True),
    # --- CSS
    ("css", '<div style="width:expression(__xss({n}))">x</div>', False),
    ("css", '<div style="background-image:url(javascript:__xss({n}))">x</div>', False),
    ("css", '<div style="background:url(&quot;javascript:__xss({n})&quot;)">x</div>', False),
    ("css", '<p style="x:expr/**/ession(__xss({n}))">x</p>', False),
    ("css", '<p style="color:red;x:\\65xpression(__xss({n}))">x</p>', False),
    ("css", '<div style="background:url(jav&#x09;ascript:__xss({n}))">x</div>', False),
    ("css", '<div style="-moz-binding:url(javascript:__xss({n}))">x</div>', False),
    ("css", '<div style="behavior:url(#default#time2)" onbegin="__xss({n})">x</div>', False),
    ("css", "<style>@import 'javascript:__xss({n})';</style>", False),
    ("css", "<STYLE>@im\\port'\\ja\\vasc\\ript:__xss({n})';</STYLE>", False),
    ("css", '<style>body{{background:url("javascript:__xss({n})")}}</style>', False),
    ("css", "<style>li{{behavior:url(data:,__xss({n}))}}</style>", False),
    (
        "css",
        '<style>@keyframes k{n}{{}}</style><p style="animation-name:k{n}" onanimationstart=__xss({n})>x</p>',
        False,
    ),
    ("css", '<link rel=stylesheet href="javascript:__xss({n})">', False),
    # --- frames and embedded documents
    ("frame", '<iframe srcdoc="<script>parent.__xss({n})</script>"></iframe>', False),
    ("frame", '<iframe srcdoc="&lt;img src=x onerror=parent.__xss({n})&gt;"></iframe>', False),
    ("frame", '<iframe srcdoc="&#60;svg onload=parent.__xss({n})&#62;"></iframe>', False),
    (
        "frame",
        "<embed src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='__xss({n})'/>\">",
        False,
    ),
    ("frame", "<frameset onload=__xss({n})><frame src=x></frameset>", False),
    # --- raw-text and escapable raw-text elements
    ("rawtext", "<xmp></xmp><img src=x onerror=__xss({n})>", False),
    ("rawtext", "<xmp><img src=x onerror=__xss({n})></xmp>", False),
    ("rawtext", "<listing><img src=x onerror=__xss({n})></listing>", False),
    ("rawtext", "<textarea><script>__xss({n})</script></textarea>", False),
    ("rawtext", '<textarea><img title="</textarea><img src=x onerror=__xss({n})>">', False),
    ("rawtext", '<title><img title="</title><img src=x onerror=__xss({n})>">', False),
    ("rawtext", '<noscript><p title="</noscript><img src=x onerror=__xss({n})>"></noscript>', False),
    ("rawtext", '<noembed><img title="</noembed><img src=x onerror=__xss({n})>"></noembed>', False),
    ("rawtext", '<noframes><img title="</noframes><img src=x onerror=__xss({n})>"></noframes>', False),
    ("rawtext", '<iframe><img title="</iframe><img src=x onerror=__xss({n})>"></iframe>', False),
    ("rawtext", '<style><img title="</style><img src=x onerror=__xss({n})>"></style>', False),
    ("rawtext", "<template><img src=x onerror=__xss({n})></template>", False),
    ("rawtext", "<select><option><img src=x onerror=__xss({n})></option></select>", False),
    ("rawtext", "<plaintext><script>__xss({n})</script>", True),
    ("rawtext", "<xmp><script>__xss({n})</script>", True),
    # --- unclosed and malformed markup
    ("broken", "<img src=x onerror=__xss({n})//", True),
    ("broken", '<img src="x" onerror="__xss({n})"', True),
    ("broken", '<img src=x onerror=__xss({n}) alt="', True),
    ("broken", "<svg onload=__xss({n})", True),
    ("broken", "<iframe src=javascript:parent.__xss({n})", True),
    ("broken", "<div id=d{n} title='<img src=x onerror=__xss({n})>'>x</div>", False),
    ("broken", '<p title="</p><script>__xss({n})</script>">x</p>', False),
    ("broken", '<a href="https://example.com/" title=\'x\' onmouseover="__xss({n})"', True),
    ("broken", "<img src=x onerror=__xss({n})><!--", True),
    # --- encoded forms (text that must never turn back into markup)
    ("encoded", "&lt;script&gt;__xss({n})&lt;/script&gt;", False),
    ("encoded", "&#x3C;script&#x3E;__xss({n})&#x3C;/script&#x3E;", False),
    ("encoded", "&#60;img src=x onerror=__xss({n})&#62;", False),
    ("encoded", "&amp;lt;script&amp;gt;__xss({n})&amp;lt;/script&amp;gt;", False),
    ("encoded", "%3Cscript%3E__xss({n})%3C%2Fscript%3E", False),
    ("encoded", "%253Csvg%2520onload%253D__xss({n})%253E", False),
    ("encoded", "\\u003cscript\\u003e__xss({n})\\u003c/script\\u003e", False),
    ("encoded", "\\x3cimg src=x onerror=__xss({n})\\x3e", False),
    ("encoded", "+ADw-script+AD4-__xss({n})+ADw-/script+AD4-", False),
    ("encoded", '<meta charset="UTF-7">+ADw-script+AD4-__xss({n})+ADw-/script+AD4-', False),
    ("encoded", "<img src=x onerror=&#95;&#95;xss&#40;{n}&#41;>", False),
    ("encoded", "<img src=x onerror=&#x5F;&#x5F;xss&#x28;{n}&#x29;>", False),
    ("encoded", '<img src=x onerror="&#0000095;&#0000095;xss({n})">', False),
    ("encoded", "<img src=x onerror=\\u005f\\u005fxss({n})>", False),
    ("encoded", "PHNjcmlwdD5fX3hzcyg{n}KTwvc2NyaXB0Pg== {b64html}", False),
    # --- unicode tricks
    ("unicode", "＜script＞__xss({n})＜/script＞", False),
    ("unicode", "﹤img src=x onerror=__xss({n})﹥", False),
    ("unicode", "<ſcript>__xss({n})</ſcript>", False),
    ("unicode", "<scrıpt>__xss({n})</scrıpt>", False),
    ("unicode", "<scr\u200bipt>__xss({n})</scr\u200bipt>", False),
    ("unicode", '<img src=x onerror="\u2028__xss({n})">', False),
    ("unicode", '<a href="java\u00adscript:__xss({n})">x</a>', False),
    ("unicode", "\u202e<img src=x onerror=__xss({n})>\u202c", False),
    ("unicode", "<img src=x\u3000onerror=__xss({n})>", False),
    # --- polyglots
    (
        "polyglot",
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=__xss({n}) )//%0D%0A%0d%0a//</stYle/</titLe/"
        "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__xss({n})//>\\x3e",
        False,
    ),
    ("polyglot", "\"'--></style></script><script>__xss({n})</script>", False),
    ("polyglot", "'\"--></title></textarea></style></noscript></xmp><svg/onload=__xss({n})>", False),
    (
        "polyglot",
        '\'">><marquee><img src=x onerror=__xss({n})></marquee>"></plaintext\\></|\\>'
        "<plaintext/onmouseover=__xss({n})>",
        True,
    ),
    # --- XML and feed-level tricks
    ("xml", '<x:script xmlns:x="http://www.w3.org/1999/xhtml">__xss({n})</x:script>', False),
    ("xml", '<html:img xmlns:html="http://www.w3.org/1999/xhtml" src="x" onerror="__xss({n})"/>', False),
    ("xml", "]]><script>__xss({n})</script><![CDATA[", True),
    ("xml", '<?xml-stylesheet type="text/xsl" href="javascript:__xss({n})"?>', False),
    # --- text that a template or markdown engine might turn into code
    ("template", "[clic](javascript:__xss({n}))", False),
    ("template", "{{{{constructor.constructor('__xss({n})')()}}}}", False),
    ("template", "${{__xss({n})}}", False),
)


def _render(template: str, n: int) -> str:
    call = f"{CALL}({n})"
    replacements = {
        "{n}": str(n),
        "{b64html}": base64.b64encode(f"<script>{call}</script>".encode()).decode(),
        "{b64js}": base64.b64encode(call.encode()).decode(),
        "{codes}": ",".join(str(ord(char)) for char in call),
        "{{": "{",
        "}}": "}",
    }
    pattern = re.compile("|".join(re.escape(key) for key in replacements))
    return pattern.sub(lambda match: replacements[match.group(0)], template)


VECTORS: Final[tuple[Vector, ...]] = tuple(
    Vector(id=number, category=category, html=_render(template, number), breaks_page=breaks)
    for number, (category, template, breaks) in enumerate(_TEMPLATES, start=1)
)
BY_ID: Final[dict[int, Vector]] = {vector.id: vector for vector in VECTORS}


# --------------------------------------------------------------------------- the checks

URL_ATTRIBUTES: Final = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "codebase",
     "lowsrc", "dynsrc", "ping", "cite", "longdesc", "usemap", "manifest", "icon", "archive", "classid",
     "srcset", "imagesrcset", "values", "to", "from", "by"}
)  # fmt: skip
BAD_SCHEMES: Final = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
FORBIDDEN_ELEMENTS: Final = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal",
     "fencedframe", "bgsound", "layer", "ilayer", "import", "xml", "plaintext", "handler", "listener"}
)  # fmt: skip
# The site's own JSON-LD: checked as an element (it must parse and hold no breakers), and left
# out of the raw scan, where its text may legitimately hold "<".
_JSON_LD = re.compile(r"<script type=\"application/ld\+json\">(.*?)</script>", re.DOTALL | re.IGNORECASE)
# A start tag as an HTML5 tokenizer sees it: "<" + letter starts a tag; attributes are split on
# HTML whitespace and "/" (not on other Unicode spaces), values quoted or not.
_HTML_SPACE = "\t\n\f\r "
_RAW_TAG = re.compile(rf"<([a-zA-Z][^{_HTML_SPACE}/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>?")
_RAW_TEXT_ELEMENTS: Final = frozenset(
    {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript"}
)
_RAW_ATTRIBUTE = re.compile(
    r"([^%s/>\"'=][^%s/>=]*)(?:[%s]*=[%s]*(\"[^\"]*\"|'[^']*'|[^%s>]+))?" % ((_HTML_SPACE,) * 5)
)
_JSON_LD_BREAKERS = re.compile(r"</script|<script|<!--", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff]")

XHTML_NS: Final = "http://www.w3.org/1999/xhtml"
SVG_NS: Final = "http://www.w3.org/2000/svg"
MATHML_NS: Final = "http://www.w3.org/1998/Math/MathML"
_ACTIVE_NAMESPACES: Final = frozenset({XHTML_NS, SVG_NS, MATHML_NS})


def bad_url(value: str) -> bool:
    """True for a URL a browser would run or render as a document: spaces, controls and case
    do not matter to a browser's URL parser, so they do not matter here."""
    return _URL_NOISE.sub("", value).lower().startswith(BAD_SCHEMES)


def _own_script(element: etree._Element) -> str | None:
    """None when `element` is one of the site's own scripts, else why it is not."""
    kind = (element.get("type") or "").strip().lower()
    src = element.get("src")
    if kind == "application/ld+json" and src is None:
        text = element.text or ""
        try:
            json.loads(text)
        except ValueError:
            return "JSON-LD script that does not parse (broken out of?)"
        if _JSON_LD_BREAKERS.search(text):
            return "JSON-LD script containing </script, <script or <!--"
        return None
    if src is not None and src.startswith("/static/") and not (element.text or "").strip():
        return None
    return "script element"


def _element_problems(element: etree._Element, *, own_scripts: bool) -> list[str]:
    problems: list[str] = []
    tag = element.tag if isinstance(element.tag, str) else ""
    name = etree.QName(tag).localname.lower() if tag.startswith("{") else tag.lower()
    where = f"<{name}>"
    if name == "script":
        why = _own_script(element) if own_scripts else "script element"
        if why:
            problems.append(f"{where}: {why}: {etree.tostring(element, encoding=str)[:120]!r}")
    elif name in FORBIDDEN_ELEMENTS:
        problems.append(f"{where} element")
    elif name == "meta" and any(key.lower() == "http-equiv" for key in element.attrib):
        problems.append(f"{where} with http-equiv")
    elif name == "link":
        rel = (element.get("rel") or "").lower().split()
        href = element.get("href") or ""
        if {"stylesheet", "import", "preload", "modulepreload", "prefetch"} & set(rel) and not (
            href.startswith("/static/")
        ):
            problems.append(f"{where} rel={rel} href={href!r}")
    for key, value in element.attrib.items():
        attribute = str(key)
        if attribute.startswith("{"):
            namespace, local = attribute[1:].split("}", 1)
            attribute = f"xlink:{local}" if namespace == "http://www.w3.org/1999/xlink" else local
        attribute = attribute.lower()
        if attribute.startswith("on"):
            problems.append(f"{where} event handler {attribute}={value!r}")
        elif attribute in {"style", "srcdoc"}:
            problems.append(f"{where} {attribute} attribute {value!r}")
        elif attribute in URL_ATTRIBUTES and bad_url(str(value)):
            problems.append(f"{where} {attribute}={value!r}")
    return problems


def _raw_tags(markup: str, *, raw_text: bool) -> list[tuple[str, dict[str, str], str]]:
    """Start tags in `markup` as (name, attributes, source). With `raw_text`, the content of
    raw-text elements is skipped up to their end tag, as a browser with scripting does;
    without, every "<" + letter counts (what the same text means inside <svg> or <math>)."""
    tags: list[tuple[str, dict[str, str], str]] = []
    position = 0
    while match := _RAW_TAG.search(markup, position):
        name = match.group(1).lower()
        attributes = {
            key.lower(): unescape(value.strip("\"'")) if value else ""
            for key, value in _RAW_ATTRIBUTE.findall(match.group(2))
        }
        tags.append((name, attributes, match.group(0)))
        position = match.end()
        if raw_text and name in _RAW_TEXT_ELEMENTS:
            end = re.compile(rf"</{re.escape(name)}[{_HTML_SPACE}/>]", re.IGNORECASE)
            closing = end.search(markup, position)
            position = closing.start() if closing else len(markup)
    return tags


def _raw_tag_problems(markup: str, *, own_scripts: bool) -> list[str]:
    """The same rules over start tags found in the raw text, tokenized like a browser does:
    a second opinion, because lxml (libxml2) does not parse HTML the way browsers do."""
    problems: list[str] = []
    tags = _raw_tags(markup, raw_text=False) + _raw_tags(markup, raw_text=True)
    for name, attributes, source in tags:
        where = f"raw <{name}>"
        if name == "script":
            if not (own_scripts and attributes.get("src", "").startswith("/static/")):
                problems.append(f"{where}: {source[:120]!r}")
        elif name in FORBIDDEN_ELEMENTS:
            problems.append(f"{where} element")
        elif name == "meta" and "http-equiv" in attributes:
            problems.append(f"{where} with http-equiv")
        for key, value in attributes.items():
            if key.startswith("on"):
                problems.append(f"{where} event handler {key}={value!r}")
            elif key in {"style", "srcdoc"}:
                problems.append(f"{where} {key} attribute {value!r}")
            elif key in URL_ATTRIBUTES and bad_url(value):
                problems.append(f"{where} {key}={value!r}")
    return sorted(set(problems), key=problems.index)


def unsafe_html(markup: str, *, own_scripts: bool = False) -> list[str]:
    """Every executable or document-altering construct in `markup` (a page or a fragment).

    Checked twice: on lxml's tree, and on the start tags of the raw text. `own_scripts` allows
    the site's own scripts (JSON-LD that parses, /static/ files) in whole pages; fragments of
    foreign content may hold no script at all.
    """
    if not markup.strip():
        return []
    # Markup follows a fragment on any page: a tag left open at its end swallows that markup.
    completed = markup + "<p>.</p>"
    try:
        root = lxml_html.document_fromstring(completed)
    except (etree.ParserError, ValueError) as exc:
        return [f"does not parse as HTML: {exc}"]
    problems: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str):
            problems.extend(_element_problems(element, own_scripts=own_scripts))
    scan = _JSON_LD.sub("", completed) if own_scripts else completed
    problems.extend(_raw_tag_problems(scan, own_scripts=own_scripts))
    return problems


# RSS/Atom fields whose text is HTML that feed readers render as HTML.
_RSS_CONTENT_NS: Final = "http://purl.org/rss/1.0/modules/content/"
_ATOM_NS: Final = "http://www.w3.org/2005/Atom"
_ATOM_TEXT_CONSTRUCTS: Final = frozenset({"title", "subtitle", "summary", "content", "rights"})


def _xml_html_fields(root: etree._Element) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        parent = element.getparent()
        in_item = parent is not None and parent.tag == "item"
        if qname.namespace is None and qname.localname == "description" and in_item:
            # Only an item's description is HTML (RSS Best Practices Profile); the channel's is text.
            fields.append(("rss item description", element.text or ""))
        elif qname.namespace == _RSS_CONTENT_NS and qname.localname == "encoded":
            fields.append(("content:encoded", element.text or ""))
        elif (
            qname.namespace == _ATOM_NS
            and qname.localname in _ATOM_TEXT_CONSTRUCTS
            and (element.get("type") or "text") in {"html", "text/html"}
        ):
            fields.append((f"atom {qname.localname} (html)", element.text or ""))
    return fields


def unsafe_xml_feed(body: bytes) -> list[str]:
    """Problems in an RSS or Atom document: markup a browser would run when it opens the feed
    (elements in the XHTML/SVG/MathML namespaces), bad link URLs, and unsafe HTML in the
    fields readers render as HTML (RSS description, content:encoded, Atom type="html")."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    problems: list[str] = []
    # A stylesheet instruction in the prolog is what makes a browser run XSLT over the feed.
    instructions = [*root.itersiblings(preceding=True), *root.iter(etree.ProcessingInstruction)]
    for node in instructions:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            text = node.text or ""
            if not re.search(r'href=["\']/static/', text):
                problems.append(f"xml-stylesheet instruction {text!r}")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.namespace in _ACTIVE_NAMESPACES:
            problems.extend(f"feed markup: {p}" for p in _element_problems(element, own_scripts=False))
        elif qname.localname == "link":
            href = element.get("href") or element.text or ""
            if bad_url(href):
                problems.append(f"feed link {href!r}")
    for name, text in _xml_html_fields(root):
        problems.extend(f"{name}: {p}" for p in unsafe_html(text))
    return problems


_JSON_FEED_URLS: Final = frozenset(
    {"home_page_url", "feed_url", "next_url", "icon", "favicon", "url", "external_url", "image",
     "banner_image", "avatar"}
)  # fmt: skip


def unsafe_json_feed(body: bytes) -> list[str]:
    """Problems in a JSON Feed: unsafe `content_html`, and bad URLs in any URL field."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    problems: list[str] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                where = f"{path}.{key}"
                if key == "content_html" and isinstance(child, str):
                    problems.extend(f"{where}: {p}" for p in unsafe_html(child))
                elif key in _JSON_FEED_URLS and isinstance(child, str) and bad_url(child):
                    problems.append(f"{where} = {child!r}")
                else:
                    walk(child, where)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, f"{path}[{index}]")

    walk(data, "$")
    return problems


# --------------------------------------------------------------------------- a hostile source


@dataclass(frozen=True)
class Story:
    """A few sentences of real Spanish news (written for these tests) to carry the vectors."""

    slug: str
    title: str
    author: str
    lead: str
    paragraphs: tuple[str, ...]
    heading: str
    quote: str
    caption: str
    link_text: str


STORIES: Final[tuple[Story, ...]] = (
    Story(
        "mercado-abastos-reforma",
        "El Ayuntamiento de Villamar reformará el mercado de abastos",
        "Lucía Ferrández",
        "Las obras costarán 3,2 millones de euros y empezarán después del verano.",
        (
            "El pleno municipal aprobó este martes el proyecto de reforma del mercado de abastos, "
            "un edificio de 1958 que necesita una nueva cubierta y una instalación eléctrica moderna.",
            "Los comerciantes seguirán vendiendo durante las obras en una carpa provisional que se "
            "instalará en la plaza de la Constitución.",
            "La concejala de Comercio explicó que el mercado tendrá también una zona de restauración "
            "y un aparcamiento para bicicletas.",
        ),
        "Una carpa provisional para los puestos",
        "Queremos que el mercado vuelva a ser el corazón del barrio",
        "La fachada del mercado de abastos, en una imagen de archivo.",
        "el proyecto completo",
    ),
    Story(
        "lluvias-cosecha-naranja",
        "Las lluvias de marzo salvan la cosecha de naranja en la comarca",
        "Andrés Molina",
        "Los agricultores esperan una producción un 20 % mayor que la del año pasado.",
        (
            "Las precipitaciones de las últimas tres semanas han devuelto la humedad a los campos de "
            "la comarca después de un invierno muy seco.",
            "La cooperativa agrícola calcula que la cosecha de naranja superará las 45.000 toneladas, "
            "una cifra que no se alcanzaba desde hace cinco años.",
            "Los técnicos advierten, sin embargo, de que los embalses siguen por debajo de la mitad de "
            "su capacidad y piden prudencia en el riego.",
        ),
        "Los embalses todavía están a la mitad",
        "Ha sido la mejor noticia del año para el campo",
        "Un agricultor revisa los naranjos de su finca.",
        "el informe de la cooperativa",
    ),
    Story(
        "biblioteca-horario-ampliado",
        "La biblioteca central abrirá hasta medianoche durante los exámenes",
        "Carmen Olivares",
        "El horario especial se mantendrá desde el 15 de mayo hasta el 30 de junio.",
        (
            "La biblioteca central ampliará su horario de apertura para que los estudiantes puedan "
            "preparar los exámenes de final de curso.",
            "La sala de estudio tendrá 240 puestos de lectura y conexión a internet gratuita, y el "
            "servicio de préstamo funcionará hasta las diez de la noche.",
            "El año pasado, más de 18.000 personas usaron la biblioteca durante el horario especial, "
            "según los datos del servicio municipal de cultura.",
        ),
        "Más puestos de lectura que el año pasado",
        "Los estudiantes nos pedían más horas y más sitio",
        "Estudiantes en la sala de lectura de la biblioteca central.",
        "el calendario de apertura",
    ),
    Story(
        "tren-cercanias-nueva-linea",
        "El tren de cercanías llegará al polígono industrial en 2027",
        "Javier Sanchís",
        "La nueva línea tendrá cuatro estaciones y un tren cada quince minutos.",
        (
            "El Ministerio de Transportes ha adjudicado las obras de la nueva línea de cercanías que "
            "unirá la estación central con el polígono industrial.",
            "El trazado tendrá nueve kilómetros y cuatro estaciones, y el viaje completo durará unos "
            "doce minutos, según el proyecto presentado este jueves.",
            "Las empresas del polígono, donde trabajan más de 6.000 personas, llevaban una década "
            "pidiendo una conexión ferroviaria con la ciudad.",
        ),
        "Cuatro estaciones y nueve kilómetros de vía",
        "Por fin podremos ir a trabajar sin coche",
        "Un tren de cercanías, en la estación central.",
        "el trazado de la línea",
    ),
    Story(
        "festival-cine-jurado",
        "El festival de cine de Villamar anuncia su jurado internacional",
        "Elena Rubio",
        "La directora argentina Paula Ríos presidirá el jurado de la sección oficial.",
        (
            "El festival de cine de Villamar presentó este miércoles al jurado que elegirá las "
            "películas ganadoras de su vigésima edición.",
            "La sección oficial reunirá dieciséis largometrajes de nueve países, y las proyecciones se "
            "harán en el teatro principal y en tres salas del centro.",
            "Las entradas saldrán a la venta el lunes a un precio de seis euros, y los estudiantes "
            "tendrán un descuento del cincuenta por ciento.",
        ),
        "Dieciséis películas en la sección oficial",
        "El cine que veremos este año habla de familias y de fronteras",
        "El teatro principal, sede de la sección oficial del festival.",
        "la programación del festival",
    ),
    Story(
        "hospital-nuevas-camas",
        "El hospital comarcal abrirá cuarenta camas nuevas en otoño",
        "Pablo Garrido",
        "La ampliación incluye una unidad de cuidados intensivos con doce puestos.",
        (
            "La Consejería de Sanidad ha confirmado que el hospital comarcal abrirá en octubre una "
            "nueva planta con cuarenta camas de hospitalización.",
            "La ampliación permitirá reducir las listas de espera de cirugía, que ahora superan los "
            "noventa días en traumatología, según los datos oficiales.",
            "El hospital contratará a sesenta profesionales, entre médicos, enfermeras y técnicos, "
            "antes de la apertura de la nueva planta.",
        ),
        "Sesenta profesionales más en la plantilla",
        "Con esta planta atenderemos mejor a los pacientes de toda la comarca",
        "La entrada principal del hospital comarcal.",
        "los datos de las listas de espera",
    ),
    Story(
        "playas-bandera-azul",
        "Siete playas del litoral lucirán la bandera azul este verano",
        "Rosa Beltrán",
        "El distintivo reconoce la calidad del agua y los servicios de las playas.",
        (
            "La asociación que concede las banderas azules ha premiado este año a siete playas del "
            "litoral, dos más que el verano pasado.",
            "Los análisis del agua se hicieron durante cuatro meses, y todas las playas premiadas "
            "obtuvieron la calificación de excelente.",
            "Los ayuntamientos de la costa reforzarán el servicio de socorrismo a partir del primero "
            "de junio, con cuarenta socorristas más.",
        ),
        "Más socorristas desde el primero de junio",
        "La calidad del agua es el resultado de años de trabajo",
        "Bañistas en la playa de Levante, una de las premiadas.",
        "la lista de playas premiadas",
    ),
    Story(
        "puerto-nuevo-muelle",
        "El puerto recibirá el primer crucero de la temporada el lunes",
        "Miguel Ortega",
        "El barco llegará con 2.800 pasajeros y pasará once horas en la ciudad.",
        (
            "La Autoridad Portuaria espera este año la llegada de 64 cruceros, una cifra récord que "
            "supera en doce escalas a la del año anterior.",
            "Los comercios del centro abrirán también el lunes por la tarde para atender a los "
            "visitantes, según la asociación de comerciantes.",
            "El ayuntamiento instalará un punto de información turística en el muelle y reforzará el "
            "servicio de autobuses entre el puerto y el casco antiguo.",
        ),
        "Un punto de información en el muelle",
        "Los cruceros son una oportunidad para el comercio local",
        "Un crucero atracado en el muelle de poniente.",
        "el calendario de escalas",
    ),
    Story(
        "colegio-huerto-escolar",
        "Un colegio de Villamar gana el premio nacional de huertos escolares",
        "Teresa Vidal",
        "Los alumnos cultivan verduras que después se sirven en el comedor.",
        (
            "El colegio público San Roque ha ganado el premio nacional de huertos escolares gracias a "
            "un proyecto en el que participan todos sus alumnos.",
            "Los niños cultivan tomates, lechugas y calabacines en un terreno de quinientos metros "
            "cuadrados junto al patio del colegio.",
            "El jurado destacó que el proyecto enseña ciencias, matemáticas y hábitos de alimentación "
            "saludable de una forma práctica.",
        ),
        "Quinientos metros cuadrados de huerto",
        "Los niños comen ahora más verdura que nunca",
        "Alumnos del colegio San Roque trabajan en el huerto.",
        "las bases del premio",
    ),
    Story(
        "ciclistas-carril-bici",
        "La ciudad estrenará doce kilómetros de carril bici en junio",
        "Sergio Navarro",
        "El nuevo trazado unirá la universidad con el paseo marítimo.",
        (
            "El Ayuntamiento de Villamar terminará en junio las obras del nuevo carril bici, que "
            "tendrá doce kilómetros y atravesará seis barrios.",
            "El servicio municipal de bicicletas añadirá veinte estaciones y trescientas bicicletas, "
            "la mitad de ellas eléctricas.",
            "Las asociaciones de ciclistas celebran el proyecto, aunque piden más vigilancia en los "
            "cruces con las avenidas principales.",
        ),
        "Veinte estaciones de bicicletas nuevas",
        "La bicicleta ya no es solo para el paseo del domingo",
        "Un ciclista en el nuevo carril del paseo marítimo.",
        "el mapa del carril bici",
    ),
)


def assign(stories: int = len(STORIES)) -> list[list[Vector]]:
    """The corpus dealt round-robin over `stories` articles: every vector placed exactly once."""
    return [list(VECTORS[index::stories]) for index in range(stories)]


SLOTS: Final = (
    "title", "h1", "author", "meta", "heading", "p0", "p1", "link_text", "link_href", "alt", "caption",
    "quote", "p2", "og_image",
)  # fmt: skip
"""Where a hostile page puts its vectors, raw: the breaking ones go last, after the text."""

SITE_NAME: Final = "El Faro de Villamar"


def article_page(story: Story, vectors: Sequence[Vector], *, published: datetime, image_url: str) -> str:
    """An article page of a hostile news site: the story's real text with `vectors` pasted raw
    into its title, byline, metadata, headings, paragraphs, link, image alt and caption, and
    each vector once more as escaped text (a letter to the editor quoting it), which must stay
    text all the way to the published page."""
    slots: dict[str, list[str]] = {name: [] for name in SLOTS}
    fitting = [vector for vector in vectors if not vector.breaks_page]
    for number, vector in enumerate(fitting):
        slots[SLOTS[number % len(SLOTS)]].append(vector.html)

    def raw(name: str) -> str:
        return " ".join(slots[name])

    when = published.isoformat()
    href = raw("link_href") or f"https://www.villamar.example/{story.slug}"
    og_image = raw("og_image") or image_url
    letters = "\n".join(f"<li>Mensaje número {vector.id}: «{escape(vector.html)}»</li>" for vector in vectors)
    breaking = "\n".join(f"<p>Última hora: {vector.html}</p>" for vector in vectors if vector.breaks_page)
    p0, p1, p2 = (escape(text) for text in story.paragraphs)
    return f"""<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>{escape(story.title)} {raw("title")} | {SITE_NAME}</title>
<meta name="description" content="{escape(story.lead)}">
<meta name="author" content="{escape(story.author)} {raw("meta")}">
<meta property="og:title" content="{escape(story.title)}">
<meta property="og:image" content="{og_image}">
<meta property="article:published_time" content="{when}">
</head>
<body>
<header class="site"><a href="/">{SITE_NAME}</a>
<nav><a href="/ciudad/">Ciudad</a> <a href="/comarca/">Comarca</a> <a href="/cultura/">Cultura</a></nav>
</header>
<main>
<article>
<h1>{escape(story.title)} {raw("h1")}</h1>
<p class="byline">Por <span class="author">{escape(story.author)} {raw("author")}</span>
<time datetime="{when}">{published:%d/%m/%Y}</time></p>
<p class="lead"><strong>{escape(story.lead)}</strong></p>
<p>{p0} {raw("p0")}</p>
<h2>{escape(story.heading)} {raw("heading")}</h2>
<p>{p1} {raw("p1")} Puede consultarse <a href="{href}">{escape(story.link_text)} {raw("link_text")}</a>.</p>
<figure><img src="{image_url}" alt="{escape(story.caption)} {raw("alt")}" width="640" height="360">
<figcaption>{escape(story.caption)} {raw("caption")}</figcaption></figure>
<blockquote><p>«{escape(story.quote)}» {raw("quote")}</p></blockquote>
<p>{p2} {raw("p2")}</p>
<h2>Cartas a la redacción</h2>
<p>Estos son los mensajes que los lectores enviaron a la redacción sobre esta noticia:</p>
<ul>
{letters}
</ul>
{breaking}
</article>
</main>
<footer><p>© {SITE_NAME}. Aviso legal. Política de cookies.</p></footer>
</body>
</html>
"""
