"""First-time passwords: words a child can type, drawn from a list shipped in the repo."""

import secrets
from functools import cache
from pathlib import Path

WORDLIST = Path(__file__).with_name("wordlist.txt")
# 4 words from a list of at least 2,048: at least 44 bits (log2(2048) = 11 per word).
WORDS_PER_PASSWORD = 4
MIN_WORDS_IN_LIST = 2000


@cache
def words() -> tuple[str, ...]:
    """The word list: one lower-case word a line; lines starting with # are comments."""
    lines = WORDLIST.read_text(encoding="utf-8").splitlines()
    found = tuple(dict.fromkeys(w.strip() for w in lines if w.strip() and not w.startswith("#")))
    if len(found) < MIN_WORDS_IN_LIST:
        raise RuntimeError(f"{WORDLIST} holds {len(found)} words; first passwords need at least {MIN_WORDS_IN_LIST}")
    return found


def generate_password(n_words: int = WORDS_PER_PASSWORD) -> str:
    """`n_words` random words joined by hyphens, e.g. "otter-lantern-maple-quilt"."""
    pool = words()
    return "-".join(secrets.choice(pool) for _ in range(n_words))
