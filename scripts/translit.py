"""Ukrainian → Latin transliteration (national standard of 2010, Cabinet resolution 55)."""

from __future__ import annotations

_MAP = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
    "ʼ": "",
}
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def uk_to_latin(text: str) -> str:
    out: list[str] = []
    word_start = True
    low = text.lower()
    for i, ch in enumerate(low):
        if ch == "г" and i > 0 and low[i - 1] == "з":
            piece = "gh"
        elif word_start and ch in _INITIAL:
            piece = _INITIAL[ch]
        else:
            piece = _MAP.get(ch, ch)
        if text[i].isupper() and piece:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
        word_start = not ch.isalpha() and ch not in "'’ʼ"
    return "".join(out)
