"""Small wording helpers shared by the CLI, the pages and the report."""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 finding", "3 findings"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def join_names(names) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
