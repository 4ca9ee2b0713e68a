"""Small wording helpers shared by the CLI, the pages and the report."""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 finding", "3 findings"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


# Letters whose name starts with a vowel sound, for acronyms read letter by letter ("an NHS trust").
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")
# Words that start with a vowel letter but a consonant sound ("a user", "a one-off").
_CONSONANT_SOUND_STARTS = ("one", "once", "uni", "use", "usu", "eu", "ure")


def a_or_an(phrase: str) -> str:
    """``phrase`` after "a" or "an", by its first sound: "an organisation", "a user",
    "an Excel workbook", "an NHS trust", "a CSV file"."""
    word = phrase.split(maxsplit=1)[0] if phrase.strip() else ""
    if len(word) > 1 and word.isupper():  # an acronym, read letter by letter
        vowel = word[0] in _VOWEL_SOUND_LETTERS
    else:
        lowered = word.lower()
        vowel = lowered[:1] in set("aeiou") and not lowered.startswith(_CONSONANT_SOUND_STARTS)
    return f"{'an' if vowel else 'a'} {phrase}"


def lower_first(name: str) -> str:
    """A name to use mid-sentence: its first letter in lower case unless the first word is an
    acronym; the rest kept as written ("the local NHS", never "the local nhs")."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    if len(first) > 1 and first[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def join_names(names) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
