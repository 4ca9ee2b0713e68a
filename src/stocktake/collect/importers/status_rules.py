"""The status of one answer in a response or progress document, from its own words.

Ordered rules, first match wins:

1. A stated status: "Status: Complete", "RAG status – amber", "Response: Agree",
   or a label opening the answer ("Accepted.", "Partially accepted", "Not agreed",
   "Accepted in principle", "On track", "Delayed", "Superseded").
2. The position the answer's first sentences take, sentence by sentence: a
   refusal ("does not accept", "will not", "we do not agree", "rejects"), a
   qualified acceptance ("accepts in principle", "in part", "the spirit of",
   "some of", "partly", "broadly agrees", "agrees with the aim", "sees merit
   in", "subject to"), an acceptance ("The Government agrees with the
   Committee", "We welcome this recommendation", "supports the recommendation"),
   progress ("has been completed", "is under way"), a commitment to act ("will
   publish", "is already"), or a note ("notes", "welcomes the report",
   "recognises the importance of", "will consider", "keep under review": no
   commitment). An acceptance followed by a contrast that refuses or limits part
   of it ("agrees … However, it will not …", "… However, it is a matter for
   local commissioners") is partial; so is a refusal softened by agreeing with
   the aim. Where the first four sentences take no position, a stated
   acceptance or refusal later in the answer counts.
3. Otherwise "unknown": no guess where the answer takes no position.

Progress labels map onto RESPONSE_STATUSES: closed items ("complete",
"closed", "superseded") are complete; "on track", "delayed", "at risk",
"behind schedule" are in progress; "not started" is accepted (agreed, no work
yet).
"""

from __future__ import annotations

import re

_F = re.I

# 1. Stated statuses: the words that name each status, as a label or after "Status:".
_LABELS: list[tuple[str, str]] = [
    ("not_accepted", r"not (?:accepted|agreed|supported)|rejected|reject|disagree(?:d)?|do(?:es)? not (?:accept|agree)|"
                     r"declined|red\s*[-–(]?\s*not accepted"),
    ("accepted_in_part", r"(?:accepted|agreed|supported|accept|agree) (?:in part|in principle|with (?:qualification|"
                         r"caveats?|amendments?|modifications?)|partially|partly)|(?:partially|partly|part) "
                         r"(?:accepted|agreed|supported|accept|agree)|partial(?:ly)?(?: acceptance)?"),
    ("noted", r"noted|acknowledged|under consideration|for consideration|being considered"),
    ("complete", r"complete[d]?|fully (?:implemented|delivered|met)|implemented|delivered|achieved|closed|"
                 r"superseded|done|met|blue"),
    ("in_progress", r"in progress|ongoing|on[- ]track|under ?way|partially (?:complete|implemented|met|delivered)|"
                    r"delayed|behind schedule|at risk|off[- ]track|in hand|started|work (?:in progress|ongoing)|"
                    r"amber|green|red"),
    ("accepted", r"not (?:yet )?started|accepted|agreed|supported|accept|agree|support"),
]
_LABEL_RE = [(status, re.compile(rf"(?:{pattern})\b", _F)) for status, pattern in _LABELS]
_STATED = re.compile(r"\b(?:(?:RAG|current|overall|implementation|delivery|progress)\s+)?status\s*(?:[:–—-]|is)\s*"
                     r"[(\[]?\s*(.{3,40})", _F)
_RESPONSE_LABEL = re.compile(r"^(?:(?:the\s+)?(?:government(?:'s|’s)?|department(?:'s|’s)?|trust(?:'s|’s)?|board(?:'s|’s)?|"
                             r"icb(?:'s|’s)?)\s+)?(?:response|position|decision)\s*[:–—-]\s*(.{3,40})", _F)
_LEAD = re.compile(r"^(?:(?:government\s+)?response|status|reply|position|update|progress(?: update)?)\s*[:.–—-]\s*",
                   _F)
_LABEL_END = r"\s*(?:[.:;,–—)\]-]|$|\s(?=(?-i:[A-Z(]))|\s(?:in|on|by|since|until)\s)"  # a label ends the phrase, not "Agreed funding …"


def _label(text: str) -> str | None:
    """The status a label at the start of text names, when it is a label (short, then punctuation)."""
    for status, pattern in _LABELS:
        if re.match(rf"^[(\[]?\s*(?:recommendation\s+)?(?:{pattern}){_LABEL_END}", text, _F):
            return status
    return None


# 2. Positions in prose, refusals first.
_WONT = (r"(?:will not|won't|shall not|has no plans? to|have no plans? to|does not intend to|do not intend to|"
         r"is not minded to|are not minded to|is not (?:currently )?(?:able|in a position) to|are not (?:currently )?"
         r"(?:able|in a position) to|is unable to|are unable to|cannot commit to|will not be able to)")
_DONT = r"(?:does not|do not|did not|cannot|can not|can't|doesn't|don't|is not able to|are not able to)"
_POSITION_VERB = (r"(?:accept|agree|support|endorse|take (?:this |it |the recommendation )?forward|adopt|implement|"
                  r"believe|consider (?:it|that|this)|think|see (?:a|the|any) (?:need|case|merit|value|benefit)|"
                  r"propose|plan|intend|pursue|commit|favour|share)")
_REFUSE = re.compile(
    rf"\b{_WONT}\s+(?:\w+\s+)?\w+|\b{_DONT}\s+(?:currently\s+|fully\s+|therefore\s+)?{_POSITION_VERB}\b"
    r"|\brejects?\b|\bdisagrees?\b|\bnot (?:be )?(?:accepted|agreed|taken forward|pursued|adopted|supported)\b"
    r"|\bcannot accept\b|\bnot persuaded\b|\bnot (?:appropriate|necessary|feasible|practical|the right)\b"
    r"|\bno (?:plans|intention) to\b|\bdecline[sd]? to\b|\bunable to (?:accept|agree|support)\b", _F)
_PARTIAL = re.compile(
    r"\b(?:accepts?|agrees?|accepted|agreed|supports?|supported|endorses?|welcomes?)\b[^.;]{0,80}?\b(?:in part|in principle|"
    r"partially|partly|to some extent|to an extent|with (?:the )?(?:spirit|intent|intention|thrust|aims?|ambition|"
    r"principles?|sentiment|objectives?)|the (?:spirit|intent|intention|thrust|principle|sentiment|broad thrust|"
    r"aims?|ambition|objectives?) (?:of|behind)|(?:the )?(?:first|second|third|last|latter|former) (?:part|half|"
    r"element|limb)|some of|parts? of|elements? of|aspects? of|much of)\b"
    r"|\b(?:partially|partly|in part|broadly|largely)\s+(?:accepts?|agrees?|accepted|agreed|supports?)\b"
    r"|\b(?:sees?|recognises?|recognizes?|acknowledges?) (?:\w+ )?(?:merit|advantages?|value|benefits?|force) "
    r"(?:in|of|to)\b"
    r"|\bagrees? with (?:the )?(?:spirit|intent|principle|aims?|ambition|thrust|sentiment|objectives?|direction)\b"
    r"|\b(?:accepts?|agrees?|supports?)\b[^.;]{0,60}\b(?:subject to|where (?:it is |this is )?(?:possible|appropriate|practicable)|"
    r"as far as (?:possible|practicable))\b"
, _F)
# a promise to think about it is no commitment: noted, like "under consideration"
_CONSIDER = re.compile(
    r"\b(?:will|shall|would|to)\s+(?:carefully\s+|further\s+|now\s+|also\s+)?(?:consider|explore|look (?:at|into)|"
    r"keep (?:\w+ ){0,3}under review|assess whether|review whether|reflect on|give (?:careful |further )?"
    r"consideration|investigate|examine|scope)\b"
    r"|\b(?:is|are) (?:considering|exploring|looking at|reviewing whether)\b", _F)
_ACCEPT = re.compile(
    r"\b(?:accepts?|agrees?|accepted|agreed|endorses?|endorsed|concurs?|fully supports?|"
    r"supports? (?:th(?:e|is|ese) |the (?:committee|inquiry|review|panel)(?:'s|’s)? )?(?:recommendations?|proposals?|"
    r"conclusions?|view|findings?|call)|"
    r"welcomes? (?:th(?:e|is|ese) )?(?:(?:committee|inquiry|review|panel)(?:'s|’s) )?(?:recommendations?|proposals?|conclusions?|call|suggestion))\b"
    r"|\b(?:is|are) committed to\b|\bcommit(?:s|ted)? to\b|\bhappy to\b|\bin (?:full )?agreement\b"
    r"|\bshares? the (?:committee|inquiry|review|panel)(?:'s|’s)? (?:view|concern|ambition|aim)", _F)
# commitments to act, weaker than a stated acceptance: they count after progress words
_COMMIT = re.compile(
    r"\b(?:will|shall) (?:now |also |continue to |shortly |be )?(?:implement|publish|introduce|legislate|deliver|"
    r"set up|establish|create|fund|provide|issue|update|bring forward|ensure|work|develop|launch|take|make|"
    r"write|commission|require|produce|lead|review|expand|invest|include|extend|increase|strengthen|improve|"
    r"appoint|use|build|respond|set out|continue|act)\b"
    r"|\b(?:will|shall) be (?:setting out|publishing|introducing|included|published|set out|introduced|funded|"
    r"extended|expanded|updated|implemented|delivered|taken forward|addressed|reflected)\b"
    r"|\bcontinues? to (?:support|work|invest|fund|develop|provide|monitor|promote|engage|deliver|prioritise)\b"
    r"|\blooks? forward to (?:delivering|working|implementing|publishing)\b"
    r"|\b(?:is|are|has|have) already\b|\balready (?:\w+ ){0,2}(?:in place|under way|underway)\b", _F)
_NOTE = re.compile(
    r"\bnotes?\b|\bnoted\b|\btakes? note\b|\bwelcomes? (?:the|this) (?:committee(?:'s|’s)? |inquiry(?:'s|’s)? |"
    r"panel(?:'s|’s)? )?(?:report|inquiry|review|work|findings|scrutiny|contribution|interest)\b"
    r"|\b(?:recognises?|recognizes?|acknowledges?|understands?|appreciates?)\b|\bthanks? the\b", _F)
_COMPLETE = re.compile(
    r"\b(?:has|have|had|was|were) (?:now |already |since |successfully |fully )*(?:been )?(?:completed|delivered|"
    r"implemented|achieved|published|introduced|launched|established|met|closed|set up|issued|put in place|"
    r"rolled out|superseded|done|updated|revised|amended|opened|appointed|recruited)\b|\b(?:is|are) (?:now )?(?:complete|in place|fully implemented|live|"
    r"operational|embedded)\b|\bcompleted in\b|\bwas completed\b|\bsuperseded\b", _F)
_PROGRESS = re.compile(
    r"\b(?:in progress|under ?way|on track|(?:is|are|remains?|work|still) ongoing|progressing|being (?:developed|"
    r"implemented|delivered|reviewed|rolled out|taken forward|piloted)|has (?:started|begun)|have (?:started|begun)|"
    r"(?:has been|have been|is|are|was|were) (?:delayed|paused|postponed)|behind schedule|(?:has|have) slipped|"
    r"partially (?:complete|implemented|delivered)|on hold|not (?:yet )?(?:complete|completed|finished))\b", _F)
# ("delayed discharge", "people at risk of falls": in prose these words are not progress)
_NOT_STARTED = re.compile(r"\b(?:not (?:yet )?(?:started|begun)|yet to (?:start|begin))\b", _F)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whilst|while|except|other than|apart from|"
                       r"with the exception of|nevertheless|that said)\b", _F)


_ATTRIBUTION = re.compile(r"\b(?:as|like)\s+(?:the\s+)?(?:committee|inquiry|review|report|panel|chair|"
                          r"witnesses|stakeholders)(?:'s|’s)?\s+(?:\w+\s+)?(?:has\s+|have\s+)?(?:acknowledged|noted|"
                          r"recognised|recognized|said|says|suggests?|suggested|states?|stated|highlights?|highlighted|"
                          r"points? out|pointed out|observes?|observed)\b,?", _F)


# a later sentence that opens with a contrast and limits what was accepted
_LIMIT = re.compile(r"^(?:however|but|that said|nevertheless)\b,?[^.]*?\b(?:not|no|cannot|only|limited|unable|"
                    r"matter for|(?:is|are|remains?) for (?:local|individual|each|the)|(?:local|individual) "
                    r"(?:decision|discretion))\b", _F)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+(?=[A-Z“\"(‘'])", text) if s.strip()]


def _position(sentence: str) -> str | None:
    """The position one sentence takes, before contrasts are weighed."""
    # "Agreed funding covers …": a participle opening a sentence names a thing, not a position
    # "As the Committee has acknowledged, …": whose words these are, not the answer's position
    sentence = _ATTRIBUTION.sub("", sentence)
    sentence = re.sub(r"^(?:agreed|accepted|supported)\s+(?=(?-i:[a-z]))(?!(?:in|with|by|and|that|to)\b)", "",
                      sentence, flags=_F)
    refuse, accept = _REFUSE.search(sentence), _ACCEPT.search(sentence)
    partial = _PARTIAL.search(sentence)
    if refuse and re.search(r"\bnot\s+(?:only|just)\b", sentence[refuse.start():refuse.end() + 8], _F):
        refuse = None  # "will not only fund … but also …"
    if refuse:
        # "does not accept the recommendation as drafted, but agrees with its aim" is partial;
        # "agrees with the aim but will not …" too (the acceptance comes first)
        contrast = _CONTRAST.search(sentence)
        if contrast and (accept or partial):
            first = min(m.start() for m in (accept, partial) if m)
            if first < refuse.start() or re.search(r"\b(?:aims?|spirit|intent|principle|ambition|objectives?|"
                                                   r"thrust|sentiment)\b", sentence[contrast.end():], _F):
                return "accepted_in_part"
        return "not_accepted"
    if partial:
        return "accepted_in_part"
    if accept:
        return "accepted"
    if _COMPLETE.search(sentence):
        return "complete"
    if _NOT_STARTED.search(sentence):
        return "accepted"
    if _PROGRESS.search(sentence):
        return "in_progress"
    if _CONSIDER.search(sentence):
        return "noted"
    if _COMMIT.search(sentence):
        return "accepted"
    if _NOTE.search(sentence):
        return "noted"
    return None


def stated(answer: str) -> str | None:
    """The status an answer states (rule 1: "Status: Complete", "Accepted. …"), else None."""
    text = " ".join(answer.split())
    for match in (_STATED.search(text), _RESPONSE_LABEL.match(text)):
        if match:  # "Status: Complete", "Response: Agree"
            found = _label(match[1])
            if found:
                return found
    return _label(_LEAD.sub("", text)) if text else None


def status_of(answer: str) -> str:
    """One of RESPONSE_STATUSES for an answer's wording (see the module's docstring)."""
    text = " ".join(answer.split())
    if not text:
        return "unknown"
    found = stated(text)
    if found:
        return found
    head = _LEAD.sub("", text)
    sentences = _sentences(head)[:4]
    found: list[str] = []
    for sentence in sentences:
        position = _position(sentence)
        if position:
            found.append(position)
    if not found:
        # a position stated later in a long answer still counts; progress and notes there do not
        for sentence in _sentences(head)[4:]:
            position = _position(sentence)
            if position in ("not_accepted", "accepted_in_part") or position == "accepted" and _ACCEPT.search(sentence):
                return position
        return "unknown"
    first = found[0]
    later = found[1:3]
    if first == "accepted" and ("not_accepted" in later or any(_LIMIT.search(s) for s in sentences[1:3])):
        return "accepted_in_part"  # "We agree … However, we will not …", "… However, it is for each trust …"
    if first == "noted":
        # "The Government notes the recommendation. It will publish …": what it does decides
        for status in later:
            if status != "noted":
                return status
    return first
