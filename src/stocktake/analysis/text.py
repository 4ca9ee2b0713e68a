"""Text normalisation shared by the coder and polarity rules (plain Python, no Django).

``tokens(text)`` turns a statement into a list of lower-case, lightly stemmed
content words with health-and-care abbreviations and synonyms expanded, so
that "PPE", "personal protective equipment" and "protective kit" meet in the
same vector space, and "redeployed", "redeployment" and "redeploying" all
become ``redeploy``. ``surface(stem)`` gives back a readable word for a stem,
for explanations.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that carry no topic. Deliberately smaller than the usual English lists:
# "system", "together", "across", "full", "well" and "back" matter in this field.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both by can could did didn do does doesn doing don down during
    each either etc few for from further had has have having he her here hers herself him
    himself his how i if in into is isn it its itself just let me more most my myself nor
    of off on once only or other our ours ourselves out over own same shall she should so
    some such than that the their theirs them themselves then there these they this those
    through to too under until up upon us very was wasn we were weren what when where which
    while who whom why will with within would you your yours yourself yourselves
    one two three four five six many much every per via eg ie s t
    """.split()
)

# Abbreviations matched case-sensitively on the original text (so "IT" is not "it").
_ACRONYMS: dict[str, str] = {
    "PPE": "personal protective equipment",
    "ICS": "integrated care system",
    "ICSs": "integrated care system",
    "ICB": "integrated care board",
    "CCG": "clinical commissioning group",
    "STP": "sustainability transformation partnership|integrated care system",
    "PCN": "primary care network",
    "PCNs": "primary care network",
    "GP": "general practice",
    "GPs": "general practice",
    "MDT": "multidisciplinary team",
    "MDTs": "multidisciplinary team",
    "D2A": "discharge to assess",
    "IT": "information technology|digital",
    "LA": "local authority|council",
    "LAs": "local authority|council",
    "VCSE": "voluntary community sector",
    "VCS": "voluntary community sector",
    "AHSN": "academic health science network",
    "OPEL": "operational pressures escalation",
    "IPC": "infection prevention control",
    "ED": "emergency department",
    "A&E": "emergency department",
    "BAME": "black asian minority ethnic",
    "BME": "black asian minority ethnic",
    "NHSE": "nhs england|national",
    "NHSEI": "nhs england|national",
    "UEC": "urgent emergency care",
    "CHC": "continuing healthcare",
    "OH": "occupational health",
    "QI": "quality improvement",
    "PDSA": "plan do study act|quality improvement",
    "SDEC": "same day emergency care",
    "EPR": "electronic patient record",
    "HR": "human resources|workforce",
    "LD": "learning disability",
    "LeDeR": "learning disability|mortality review",
    "IG": "information governance",
    "DPH": "director public health",
    "Sitrep": "situation report|data return",
    "SitRep": "situation report|data return",
    "sitrep": "situation report|data return",
    "sitreps": "situation report|data return",
}

# Phrase groups matched case-insensitively: any variant adds the group's
# canonical phrase, so every variant scores against every other.
_SYNONYM_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("personal protective equipment", ("protective equipment", "protective kit", "gowns",
                                       "face masks", "masks", "visors", "gloves")),
    ("remote monitoring|virtual ward", ("virtual ward", "virtual wards", "remote monitoring",
                                        "pulse oximeter", "pulse oximeters", "pulse oximetry",
                                        "oximetry at home", "monitored at home", "telehealth",
                                        "remotely monitored")),
    ("video consultation|virtual", ("video consultation", "video consultations", "video call",
                                    "video calls", "attend anywhere", "remote consultation",
                                    "remote consultations", "remote appointment",
                                    "remote appointments", "moved to video", "by video",
                                    "virtual clinic", "virtual clinics", "teams meetings",
                                    "microsoft teams", "zoom", "online consultation",
                                    "telephone consultation", "telephone assessments",
                                    "remotely", "tablets", "smartphones", "broadband")),
    ("digital|technology", ("digital", "laptops", "laptop", "tablets", "apps", "app",
                            "software", "dashboard", "dashboards", "it systems",
                            "electronic", "online", "wifi", "wi-fi", "broadband")),
    ("primary care network", ("primary care networks", "practices", "general practice",
                              "gp practices", "general practitioners")),
    ("local authority|council", ("local authority", "local authorities", "council",
                                 "councils", "local government", "district council",
                                 "county council", "borough council")),
    ("voluntary community sector", ("voluntary sector", "third sector", "voluntary and community",
                                    "charities", "charity", "community groups")),
    ("multidisciplinary team", ("multi-disciplinary", "multidisciplinary", "multi disciplinary",
                                "multi-agency", "multiagency", "multi agency")),
    ("discharge to assess", ("discharge to assess", "discharge-to-assess")),
    ("black asian minority ethnic", ("ethnic minority", "ethnic minorities", "minority ethnic",
                                     "black, asian", "black and asian")),
    ("homeless|rough sleeping", ("homeless", "homelessness", "rough sleeping", "sleeping rough",
                                 "rough sleepers", "hostels", "hostel")),
    ("wellbeing", ("well-being", "well being", "wellbeing")),
    ("coproduction", ("co-production", "co-produced", "coproduction", "co-design",
                      "co-designed", "codesign")),
    ("redeployment", ("redeployed", "redeploy", "redeployment", "redeploying", "deployed",
                      "moved to work", "moved between")),
    ("quality improvement", ("plan-do-study-act", "plan do study act", "tests of change",
                             "test of change", "improvement methods", "small tests")),
    ("psychological support", ("counselling", "counseling", "psychologist", "psychologists",
                               "psychological", "listening sessions", "check-ins",
                               "talking therapies", "mental health support for staff")),
    ("national|regional", ("nhs england", "nationally", "national team", "national teams",
                           "regional team", "regional teams", "the region", "regional")),
    ("data requests|reporting", ("data returns", "data return", "data requests",
                                 "requests for information", "requests for the same information",
                                 "reporting burden", "returns")),
    ("mutual aid", ("mutual aid", "lent staff", "shared staff", "pooled", "pooling")),
    ("vaccine uptake", ("vaccination", "vaccinations", "vaccine", "vaccines", "jab", "jabs")),
    ("shielding|vulnerable", ("shielded", "shielding", "clinically vulnerable",
                              "clinically extremely vulnerable", "living alone", "housebound")),
    ("students|returners", ("students", "retired", "returners", "returned to practice",
                            "bank staff", "agency staff")),
]

_TOKEN = re.compile(r"[a-z0-9]+")  # apostrophes split: "council's" → council, s
_HYPHEN = re.compile(r"(?<=[a-z])[-‐‑–/](?=[a-z])")


def _compile_groups():
    """Variant phrases as word tuples → canonical phrases, for token-level lookup."""
    lookup: dict[tuple[str, ...], list[str]] = {}
    for canonical, variants in _SYNONYM_GROUPS:
        for variant in variants:
            key = tuple(_TOKEN.findall(_HYPHEN.sub(" ", variant.lower())))
            if canonical not in lookup.setdefault(key, []):
                lookup[key].append(canonical)
    longest = max(len(k) for k in lookup)
    firsts = frozenset(k[0] for k in lookup)
    return lookup, longest, firsts


_GROUP_LOOKUP, _GROUP_LONGEST, _GROUP_FIRSTS = _compile_groups()
_RAW_TOKEN = re.compile(r"[A-Za-z0-9&]+")
_ACRONYM_SET = frozenset(_ACRONYMS)


# (suffix, replacement), tried longest first; the first that leaves a stem of
# three or more letters wins.
_SUFFIXES = (
    ("isations", ""), ("izations", ""), ("isation", ""), ("ization", ""),
    ("ational", "ate"), ("ations", ""), ("ation", ""), ("ments", ""), ("ment", ""),
    ("ities", ""), ("ity", ""), ("iness", "y"), ("ness", ""), ("ings", ""), ("ing", ""),
    ("ised", ""), ("ized", ""), ("ises", ""), ("izes", ""), ("ise", ""), ("ize", ""),
    ("ies", "y"), ("ied", "y"), ("ly", ""), ("ed", ""), ("es", ""), ("s", ""),
)
_NO_S_STRIP = ("ss", "us", "is", "ics")
_UNDOUBLE = frozenset("bdgmnprt")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stemmer: enough to join word families, not a linguistic one."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        if suffix == "s" and word.endswith(_NO_S_STRIP):
            return word
        if suffix == "es" and not word.endswith(("sses", "xes", "zes", "ches", "shes")):
            continue
        base = word[: -len(suffix)]
        if len(base) < 3:
            continue
        base += replacement
        if suffix in ("ed", "ing", "ings") and len(base) > 3 and base[-1] == base[-2] \
                and base[-1] in _UNDOUBLE:
            base = base[:-1]
        break
    else:
        base = word
    if len(base) > 4 and base.endswith("e"):
        base = base[:-1]
    return base


# Stem → first surface word seen, for explanations, and word → stem (both bounded).
_SURFACE: dict[str, str] = {}
_STEMS: dict[str, str] = {}


def _new_stem(word: str) -> str:
    if len(_STEMS) > 500_000:
        _STEMS.clear()
    result = _STEMS[word] = stem(word)
    if result not in _SURFACE:
        if len(_SURFACE) > 500_000:
            _SURFACE.clear()
        _SURFACE[result] = word
    return result


def surface(term: str) -> str:
    """A readable form of a stemmed term (each word of a bigram looked up)."""
    return " ".join(_SURFACE.get(part, part) for part in term.split(" "))


def prefer_surface(phrase: str) -> None:
    """Remember ``phrase``'s own words as the display form of their stems (keywords win)."""
    for word in _TOKEN.findall(_HYPHEN.sub(" ", phrase.lower())):
        if word not in STOP_WORDS:
            _SURFACE[stem(word)] = word


# For each first word of a synonym variant, the variant lengths to try, longest first.
_FIRST_LENGTHS = {
    first: sorted({len(k) for k in _GROUP_LOOKUP if k[0] == first}, reverse=True)
    for first in _GROUP_FIRSTS
}


def expansions(text: str, lowered_words: list[str] | None = None) -> list[str]:
    """Canonical phrases for the abbreviations and synonyms found in ``text``."""
    found: list[str] = []
    raw = _RAW_TOKEN.findall(text)
    if not _ACRONYM_SET.isdisjoint(raw):
        for token in raw:
            canonical = _ACRONYMS.get(token)
            if canonical is not None and canonical not in found:
                found.append(canonical)
    ws = words(text) if lowered_words is None else lowered_words
    lookup, first_lengths = _GROUP_LOOKUP, _FIRST_LENGTHS
    for i, word in enumerate(ws):
        lengths = first_lengths.get(word)
        if lengths is None:
            continue
        for length in lengths:
            canonicals = lookup.get(tuple(ws[i:i + length]))
            if canonicals:
                for canonical in canonicals:
                    if canonical not in found:
                        found.append(canonical)
                break
    return found


def words(text: str) -> list[str]:
    """Lower-case word tokens (stop words kept), hyphenated words split."""
    return _TOKEN.findall(_HYPHEN.sub(" ", text.lower()))


def tokens(text: str, *, expand: bool = True) -> list[str]:
    """Stemmed content words of ``text``, with synonym expansions appended.

    Expansions are appended as separate runs, so bigrams do not join the
    text's last word to an expansion's first (a ``|`` marker breaks the run;
    :func:`ngrams` skips pairs across it). A canonical phrase may itself hold
    several phrases separated by ``|``.
    """
    ws = words(text)
    stems = _STEMS
    out = [stems[w] if w in stems else _new_stem(w) for w in ws if w not in STOP_WORDS]
    if expand:
        for phrase in expansions(text, ws):
            for part in phrase.split("|"):  # "|" separates phrases of one group
                out.append("|")
                out.extend(stem(w) for w in part.split() if w not in STOP_WORDS)
    return out


def ngrams(toks: list[str]) -> list[str]:
    """Unigrams and bigrams of a token list, never across a ``|`` break."""
    grams = [t for t in toks if t != "|"]
    grams += [a + " " + b for a, b in zip(toks, toks[1:]) if a != "|" and b != "|"]
    return grams


def analyse(text: str) -> list[str]:
    """Unigram and bigram features of ``text`` for the TF-IDF vectoriser."""
    return ngrams(tokens(text))
