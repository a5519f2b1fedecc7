"""The patterns and short word lists of the name tagger, in one place.

Regexes use the ``regex`` module (Unicode classes, and ``(?r)`` reverse patterns: with
``.match(text, lo, start)`` they are anchored at ``start`` and read backwards, which costs
about 1 µs instead of the 15 µs of a forward search for ``...$`` in a 30-character window).
"""

from __future__ import annotations

import regex

_NAMEWORD = r"\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*"
_INITIAL = r"\p{Lu}\.(?:\p{Lu}\.)*"
PARTICLES = frozenset(
    "de da di do dos das del della der den van von la le du bin ibn al el y".split())
# PARTICLES as one regex factored by first letters: the regex module tries a plain list's
# alternatives one by one at every blank inside a run. A blank must follow the particle, so
# the alternatives' order cannot change a match (a unit test checks it matches PARTICLES).
_PARTICLE = r"(?:d(?:e(?:l(?:la)?|r|n)?|as?|i|os?|u)|v[ao]n|l[ae]|bin|ibn|al|el|y)"
# A run of capitalized words (Titlecase, UPPER, initials), name particles inside. Never
# starts inside a word, a path, an e-mail address or a number; never ends before a digit:
# "Pike2" is not a name, so a run never contains a digit.
RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_@#/.\-'’])(?:{_INITIAL}|{_NAMEWORD})"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_INITIAL}|{_NAMEWORD}))*"
    r"(?![\p{L}\p{N}_@]|\.\p{L})")
DIGIT = regex.compile(r"\d")
PREV_WORD = regex.compile(r"(?r)([\p{L}']+)[^\p{L}\n]{0,3}")
_STREET = r"\d[\p{N}\-/]*[ \t]+"                 # "221 Baker": a street
_TOWN = r"\d[ \t]*(?:,[ \t]*|\n[\s>]*)"          # "56, Studenec": a town
DIGIT_AFTER = regex.compile(r"[ \t]+\d")          # "Dunajska 56": a street
# A number right before a piece, read backwards: group "street" when it is a street's number,
# else the number ends the line before a town (the alternatives are tried in order at the
# same anchor).
NUMBER_BEFORE = regex.compile(rf"(?r)(?P<street>{_STREET})|{_TOWN}")
COMMA_WORD = regex.compile(r",[ \t]*(\p{Lu}[\p{L}\p{M}]+)")       # "Sonmarg, Kashmir"
PLACE_OF = regex.compile(
    r"(?r)\b(?:city|town|village|villages|villagers|region|province|state|capital|suburbs?"
    r"|area|outskirts|north|south|east|west|centre|center|heart|streets|residents|mayor"
    r"|governor|people|citizens|map|border)\s+of\s+(?:the\s+)?", regex.IGNORECASE)
# CamelCase (iPhone-like products, hashtags) and random ids, but not McDonald, DeShawn, LaToya
# Also "Canadian-born", "Development-ready": a hyphen then a lower-case word.
ODD_CASE = regex.compile(r"\p{Ll}\p{Lu}(?<!^Mc\p{Lu})(?<!^Mac\p{Lu})(?<!^D[ei]\p{Lu})"
                         r"(?<!^L[ae]\p{Lu})|\p{Lu}\p{Lu}\p{Ll}|-\p{Ll}")
# URLs are skipped; @handles are people; #hashtags are places or nothing. "@ name" and
# "https : / /" with spaces are how tokenized text (WNUT-17) spells them.
MARKS = regex.compile(
    r"(?:https?\s?:\s?/\s?/|www\.)\S+(?:\s\.\s\S+|\s/\s\S+)*"
    r"|(?<![\w@])@\s?(?P<handle>[A-Za-z][A-Za-z0-9_]{1,30})(?![\w@.])"
    r"|(?<![\w&])#\s?(?P<tag>\w+)")
HUMPS = regex.compile(r"\p{Lu}\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{Ll}+")
WORD_CAP = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}")
LOWER_WORD = regex.compile(r"(?<![\p{L}\p{N}_@#/.-])\p{Ll}{2,}(?![\p{L}\p{N}_@]|\.\p{L})")
LOWER_NEXT = regex.compile(r"[ \t]+(\p{Ll}+)\.?(?![\p{L}\p{N}_@])")
_PUNCT = b"!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~'"
PUNCT_TO_SPACE = bytes.maketrans(_PUNCT, b" " * len(_PUNCT))

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir madam dame lady lord rev fr sr jr mister"
    " herr frau señor señora sra monsieur mme mlle signor signora".split())
PERSON_CUES = frozenset(
    "dear hi hello hey thanks named called is am i'm by with met told asked"
    " ask meet contact cc regards sincerely".split())
PLACE_CUES = frozenset(
    "in at from to near visit visiting visited moved live lives living based born".split())
ORG_WORDS = frozenset(
    "inc ltd llc corp co gmbh ag plc sa bv group company corporation bank university college"
    " school institute foundation association council club party church hospital airlines"
    " orchestra consulting solutions systems technologies media records studios agency"
    " department ministry committee union society academy press news times".split())
STOP = frozenset(
    "i i'm i'd i've i'll im ok okay yes no hi hello hey dear thanks please rt lol omg"
    " suite apt apartment street st road rd avenue ave e-mail email phone website address"
    " name".split())
PLACE_WORDS = frozenset(
    "river lake mount mt park island islands bay valley county province region sea ocean"
    " beach hills mountains desert forest canyon falls harbor harbour peninsula gulf coast"
    " national sector district airport".split())
# Product and technology names that LLM traffic is full of and that look like surnames or
# unknown capitalized words (ALL-CAPS acronyms are already skipped).
TECH = frozenset(
    "kubernetes docker dockerfile github gitlab bitbucket python java javascript typescript"
    " golang rust ruby perl php scala kotlin swift linux ubuntu debian fedora centos windows"
    " macos android ios iphone ipad postgres postgresql mysql sqlite redis kafka clickhouse"
    " mongodb elasticsearch react angular vue django flask fastapi node nodejs npm pip conda"
    " numpy pandas pytorch tensorflow keras jupyter terraform ansible jenkins grafana"
    " prometheus nginx apache tomcat spark hadoop airflow slack jira confluence notion excel"
    " powerpoint outlook chrome firefox safari edge openai chatgpt gpt claude gemini llama"
    " mistral copilot bert azure google amazon microsoft apple meta netflix spotify youtube"
    " twitter facebook instagram reddit wikipedia linkedin whatsapp telegram zoom teams"
    " bash zsh powershell vim emacs vscode xcode markdown latex json yaml regex".split())
PLACE_SCORES = {"country": 0.85, "continent": 0.85, "state": 0.85, "capital": 0.8,
                "region": 0.6}
