"""Redact personal data before any text leaves for an external LLM, and put it back in the reply.

Rules, not a model: the patterns below run in well under a millisecond per message, download nothing and
behave the same every time, which matters more here than the last few points of recall. Numbers are the hard
part because support text is full of harmless ones (amounts, dates, order and transaction ids), so each kind
carries its own proof: cards must pass Luhn, IBANs mod-97, IPs must parse, SSNs must be well formed, and
phone numbers that look like any other number (``467 3395``) count only beside a phone cue ("call me on",
"Fax:", "… office"). Street addresses are best-effort: a number with a street-type word, a European
street-name form, or a military (APO/FPO/DPO) address.

Placeholders are typed and numbered per kind (``<EMAIL_1>``, ``<PHONE_2>``) so the LLM still knows what
stood there; the same value always gets the same placeholder, and passing the mapping of earlier messages in a
thread keeps them consistent across the whole conversation.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = ("EMAIL", "PHONE", "CARD", "SSN", "IP", "ADDRESS", "IBAN")
# When two detections overlap the more specific kind wins: a Luhn-valid card beats the phone pattern that
# also fits its digits, and anything beats the loosest detector, addresses.
# A bare number that is a phone only because of a nearby cue ("PHONE?") yields to an address pattern.
_PRIORITY = {"EMAIL": 7, "IBAN": 6, "CARD": 5, "SSN": 4, "IP": 3, "PHONE": 2, "ADDRESS": 1, "PHONE?": 0}


@dataclass(frozen=True)
class PiiSpan:
    kind: str  # one of KINDS
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Redaction:
    text: str  # input with each span replaced by a typed placeholder <EMAIL_1>, <PHONE_2>…
    mapping: dict[str, str]  # placeholder -> original value (earlier entries of the thread included)
    spans: tuple[PiiSpan, ...]


# A match must not be glued to a longer token: "GPA.3312-4452-1234-56789" or "TX-88231-AB" are ids, not PII.
_NOT_AFTER = r"(?<![\w.\-+/#@])"
_NOT_BEFORE = r"(?![\w@]|[.,\-/]\d)"

# The top-level domain is all lower or all upper case, so "name@site.ioHi" (a missing space) stops at ".io".
_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.(?:[a-z]{2,}|[A-Z]{2,})")
_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)"
)
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![\w:])")
_VERSION_CUE = re.compile(r"(?:version|ver\.?|build|release|v)\s*$", re.IGNORECASE)
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![\w])", re.I)
_SSN_DASHED = re.compile(_NOT_AFTER + r"(\d{3})-(\d{2})-(\d{4})" + _NOT_BEFORE)
_SSN_PLAIN = re.compile(_NOT_AFTER + r"(\d{3}) ?(\d{2}) ?(\d{4})" + _NOT_BEFORE)
_SSN_CUE = re.compile(r"\b(?:ssn|ss#|social[ -]security|soc\.? ?sec|itin)\b", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"(?<![\w.\-/#@,])\d+(?:[ \-]\d+)*(?![\w@]|[.,]\d)")
_CARD_CUE = re.compile(r"\b(?:card|cc|credit|debit|maestro|visa|mastercard|amex)\b", re.IGNORECASE)

# Phones. Strong shapes stand on their own; the weak shape (any grouped 7-13 digits) needs a cue.
_EXT = r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?"
# Never start inside a longer run of digit groups ("4539 1488 0343 6468" is one number, not a phone at "0343").
_PHONE_START = _NOT_AFTER + r"(?<!\d[ .\-])"
_PHONE_STRONG = [  # (pattern, fewest digits)
    # International: +CC, optional trunk "(0)", then groups.
    (re.compile(_PHONE_START + r"\+\d{1,3}(?:[ .\-]?\(\d{1,4}\))?(?:[ .\-]?\d{1,6}){1,6}" + _EXT + _NOT_BEFORE), 8),
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567, 001-555-123-4567.
    (
        re.compile(
            _PHONE_START
            + r"(?:(?:\+?1|001)[ .\-]?)?(?:\(\d{3}\) ?\d{3}[ .\-]?\d{4}|\d{3}(?P<s>[ .\-])\d{3}(?P=s)\d{4})"
            + _EXT
            + _NOT_BEFORE
        ),
        10,
    ),
    # National with trunk prefix 0 (or international 00): 07700 900 123, 03.93.92.16.85, 0044 20 7946 0958.
    (
        re.compile(
            _PHONE_START + r"(?:0\d{1,4}|\(0\d{1,4}\))(?:[ .\-]\d{1,8}|(?<=\)) ?\d{1,8}){1,5}" + _EXT + _NOT_BEFORE
        ),
        9,
    ),
]
# Unseparated national numbers with a trunk 0 (07700900123); ids rarely start with 0, but the id guard still applies.
_PHONE_PLAIN_TRUNK = re.compile(_PHONE_START + r"0[1-9]\d{8,9}" + _NOT_BEFORE)
_PHONE_WEAK = re.compile(_PHONE_START + r"(?:\(\d{1,4}\) ?)?\d{1,12}(?:[ .\-]\d{1,8}){0,4}" + _EXT + _NOT_BEFORE)
_PHONE_CUE_BEFORE = re.compile(
    r"\b(?:phone|ph|tel|telephone|mobile|mob|cell|cellphone|fax|desk|office|landline|whats ?app|viber|call|calls"
    r"|calling|called|text|texting|sms|messages?|messaging|dial|ring|reach|contact|answering|answer|number)\b",
    re.IGNORECASE,
)
_PHONE_CUE_AFTER = re.compile(
    r"[ \t]?[-–(]?[ \t]?(?:(?:is|was)[ \t]+(?:my|his|her|our|their|the)[ \t]+(?:new[ \t]+)?)?"
    r"(?:(?:phone[ \t]+)?number|office|fax|mobile|cell|home|work|desk|tel|phone|landline)\b",
    re.I,
)
# A number introduced as one of these is an identifier or code, whatever a nearby "call" says.
_ID_CUE = re.compile(
    r"\b(?:order|transaction|txn|tx|ticket|case|invoice|ref|reference|receipt|booking|tracking|confirmation|serial"
    r"|account|acct|iban|routing|sort code|licen[cs]e|passport|member|user|uid|id|zip|postal|postcode|pin|otp|code"
    r"|card|amount|total|error)\b(?:[ \t]+(?:number\b|no\b\.?|#))?|[$€£]",
    re.IGNORECASE,
)
_LIST_JOINER = re.compile(r"\s*(?:[,/;]|or|and|&)?\s*", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"\s*(?:coins?|diamonds?|gifts?|points?|usd|eur|gbp|dollars?|euros?|%)", re.IGNORECASE)
_DECIMAL = re.compile(r"\d+(?:\.\d{3})*\.\d{1,2}")
_DATE = re.compile(r"(\d{1,4})[./\-](\d{1,2})[./\-](\d{1,4})(?:[ T]\d{1,2})?")

# Street addresses.
_WORD = r"(?!(?:the|a|an|and|or|of|on|in|at|to|for|from|my|your|our|his|her|their|is|are|was|with|by|per|x|en)\b)"
_NAME = _WORD + r"(?:\d{1,3}(?:st|nd|rd|th)|[^\W\d_][\w'’.\-]*)"
_SUFFIXES = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|ter|way|circle|cir"
    "|parkway|pkwy|highway|hwy|square|sq|trail|trl|crescent|cres|close|row|alley|plaza|route|rte|expressway|expy"
    "|freeway|fwy|turnpike|causeway|crossing|gardens|grove|mews|heights|park|ridge|gateway|extension|cove|loop"
    "|pike"
)
_SUFFIX = rf"(?:{_SUFFIXES})s?\b\.?(?:[ \t]+(?-i:[NS][EW]?|[EW])\b\.?)?"
# Rarer USPS suffixes, trusted only inside "the corner of A and B".
_SUFFIX_BROAD = (
    rf"(?:{_SUFFIXES}|union|park|pass|point|forge|fort|junction|key|knoll|landing|manor|meadow|mill|mission"
    r"|orchard|port|station|summit|trace|valley|view|village|vista|walk|wall|well|burg|bypass|canyon|club|common"
    r"|corner|creek|crest|field|ford|glen|green|harbor|haven|hill|hollow|island|isle|lake|lodge|mall|motorway"
    r"|mount|oval|path|plain|prairie|ranch|river|run|shore|spring|stream|tunnel|track)s?\b"
)
_UNIT_WORD = r"(?:apt|apartment|suite|ste|unit|room|rm|floor|fl|flat|bldg|#)"
_UNIT = rf"(?:[ \t]*,?\s{{0,3}}[>?]*[ \t]*{_UNIT_WORD}\.?[ \t]?#?[ \t]?\w{{1,6}})"
# City / state / country lines after the street, kept only when they end in a postcode ("\n Riisa\n Estonia 62488").
_LOC_WORD = r"[(]?[^\W\d_][\w'’.()\-]*"
_LOC = rf"(?:{_LOC_WORD}(?:[ \t]+{_LOC_WORD}){{0,3}}[ \t]*)"
_NEXT = r"(?:[ \t]*(?:,|\n{1,2}[ \t>?]*,?)[ \t]*)"
_POSTCODE_TAIL = rf"(?:(?:{_NEXT}{_LOC}){{0,3}}{_NEXT}?{_LOC}?\d{{4,5}}(?:-\d{{3,4}})?\b)"
_EU_SUFFIX = (
    r"(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|vej|vegur|vegen|veien|vei|veg|vägen|gatan|gata|gade|katu|tie"
    r"|kuja|polku|laan|straat|gracht|utca|stien|braut|torget|plein|stræti|stræde|plass)"
)
_EU_WORD_AFTER = r"(?:u\.|utca|út|tér|ulica|vej|gade|gatan|straat|strasse|straße|allee|weg|katu|terrasse|veien)"
_EU_PREFIX = r"(?-i:Rua|Rue|Viale|Vicolo|Calle|Avenida|Av\.|Strada|Piazza|Corso|Largo|Carrer|Camino|Chemin|Travessa)"
_ADDRESS_CUE = re.compile(
    r"\b(?:address|live[sd]?|living|moved|ship|shipped|send|sent|deliver|delivered|mail|located|stay|staying)\b", re.I
)
_PARTICLES = {"ul.", "al.", "u.", "de", "del", "della", "di", "da", "do", "dos", "la", "le", "van", "von", "der"}
_HOUSE = r"\d{1,6}[a-z]?(?:[ \-]\d{1,6}[a-z]?)?"
_NOT_AFTER_ADDR = r"(?<![\w.\-$€£])"
# These two also fit prose ("1 year special cinema pass"), so their street words must look like a name: see
# _street_words_ok.
_ADDRESS_LOOSE = [
    re.compile(
        rf"{_NOT_AFTER_ADDR}(?:{_HOUSE})[ \t]+(?:{_NAME}[ \t]+){{1,4}}{_SUFFIX}{_UNIT}{{0,2}}{_POSTCODE_TAIL}?", re.I
    ),
    # A numbered name with a second number reads as an address when a flat number or a postcode line follows.
    re.compile(
        rf"{_NOT_AFTER_ADDR}\d{{1,6}}[ \t]+(?:{_NAME}[ \t]+){{1,3}}\d{{1,5}}[a-z]?\b\.?"
        rf"(?:{_UNIT}{{1,2}}{_POSTCODE_TAIL}?|{_POSTCODE_TAIL})",
        re.I,
    ),
]
_ADDRESS_STRICT = [
    re.compile(
        rf"{_NOT_AFTER_ADDR}(?:\d{{1,6}}[ \t]+)?(?:(?:{_NAME}[ \t]+){{0,2}}[^\W\d_][\w'’\-]*{_EU_SUFFIX}"
        rf"|(?:{_NAME}[ \t]+){{1,2}}{_EU_WORD_AFTER}|{_EU_PREFIX}(?:[ \t]+{_NAME}){{1,4}})[ \t]+\d{{1,5}}[a-z]?\b\.?"
        rf"{_UNIT}{{0,2}}{_POSTCODE_TAIL}?",
        re.I,
    ),
    re.compile(
        rf"\b(?:the[ \t]+)?corner[ \t]+of[ \t]+[^\n,;]{{2,60}}?[ \t]+(?:and|&)[ \t]+"
        rf"(?:{_NAME}[ \t]+){{0,3}}{_SUFFIX_BROAD}",
        re.I,
    ),
    re.compile(
        r"\b(?:PSC|Unit|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{1,5}\s{1,3}[>?]*[ \t]*[AFD]PO[ \t]+A[AEP][ \t]+\d{5}", re.I
    ),
]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_layout_ok(groups: list[str]) -> bool:
    """A card is written as one block, in fours, or Amex/Diners style 4-6-5 / 4-6-4."""
    sizes = [len(g) for g in groups]
    if len(sizes) == 1:
        return True
    if sizes[:1] == [4] and len(sizes) >= 3 and all(s == 4 for s in sizes[1:-1]) and 1 <= sizes[-1] <= 4:
        return True
    return sizes in ([4, 6, 5], [4, 6, 4])


def _find_cards(text: str) -> Iterator[tuple[int, int]]:
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start(), m.group()) for m in re.finditer(r"\d+", run.group())]
        i = 0
        while i < len(groups):
            best = None  # the longest run of groups from i that reads as a card
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 19:
                    break
                chunk = [g[2] for g in groups[i : j + 1]]
                short_ok = (
                    len(digits) == 12 and j == i and _CARD_CUE.search(text, max(0, groups[i][0] - 40), groups[i][0])
                )
                if (len(digits) >= 13 or short_ok) and _card_layout_ok(chunk) and _luhn_ok(digits):
                    best = j
            if best is not None:
                yield groups[i][0], groups[best][1]
                i = best
            i += 1


def _ssn_ok(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and group != "00" and serial != "0000"


def _find_ssns(text: str) -> Iterator[tuple[int, int]]:
    for m in _SSN_DASHED.finditer(text):
        if _ssn_ok(*m.groups()):
            yield m.start(), m.end()
    for m in _SSN_PLAIN.finditer(text):
        if _ssn_ok(*m.groups()) and _SSN_CUE.search(text, max(0, m.start() - 40), m.start()):
            yield m.start(), m.end()


def _find_ips(text: str) -> Iterator[tuple[int, int]]:
    for m in _IPV4.finditer(text):
        if not _VERSION_CUE.search(text, max(0, m.start() - 12), m.start()):
            yield m.start(), m.end()
    for m in _IPV6.finditer(text):
        candidate = m.group()
        if sum(c.isalnum() for c in candidate) < 4:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield m.start(), m.end()


def _find_ibans(text: str) -> Iterator[tuple[int, int]]:
    for m in _IBAN.finditer(text):
        value = m.group()
        # Spaced IBANs may have swallowed a following word; drop trailing groups until the checksum fits.
        while len(value.replace(" ", "")) >= 15:
            compact = value.replace(" ", "").upper()
            rearranged = compact[4:] + compact[:4]
            if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
                yield m.start(), m.start() + len(value)
                break
            if " " not in value:
                break
            value = value.rsplit(" ", 1)[0]


def _looks_like_date(candidate: str) -> bool:
    m = _DATE.fullmatch(candidate)
    if not m:
        return False
    a, b, c = (int(x) for x in m.groups())
    if len(m.group(1)) == 4:
        return 1 <= b <= 12 and 1 <= c <= 31
    return len(m.group(1)) <= 2 and ((1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31))


def _left_window(text: str, start: int) -> str:
    """The words just before ``start``, back to the previous number: what introduces this number."""
    window = text[max(0, start - 32) : start]
    last_digit = max((i for i, c in enumerate(window) if c.isdigit()), default=-1)
    return window[last_digit + 1 :]


def _last_end(pattern: re.Pattern[str], window: str) -> int:
    return max((m.end() for m in pattern.finditer(window)), default=-1)


def _phone_cued(text: str, start: int, end: int) -> bool:
    """Whether a bare number is introduced as a phone: the nearer cue before it says phone rather than id (a list
    "call 781 1704 or 451 5986" shares its cue), or a label such as "office" follows it."""
    window = _left_window(text, start)
    if _LIST_JOINER.fullmatch(window):
        window = text[max(0, start - 64) : start]
    phone_at, id_at = _last_end(_PHONE_CUE_BEFORE, window), _last_end(_ID_CUE, window)
    return phone_at > id_at or (id_at < 0 and bool(_PHONE_CUE_AFTER.match(text, end)))


def _find_phones(text: str) -> Iterator[tuple[int, int]]:
    for pattern, fewest in _PHONE_STRONG:
        for m in pattern.finditer(text):
            digits = sum(c.isdigit() for c in re.sub(r"\(0\)", "", m.group()))
            if fewest <= digits <= 15 and not _looks_like_date(m.group()):
                yield m.start(), m.end()
    for m in _PHONE_PLAIN_TRUNK.finditer(text):
        if not _ID_CUE.search(_left_window(text, m.start())):
            yield m.start(), m.end()


def _find_cued_phones(text: str) -> Iterator[tuple[int, int]]:
    for m in _PHONE_WEAK.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        if (
            7 <= digits <= 13
            and not _looks_like_date(m.group())
            and not _DECIMAL.fullmatch(m.group())
            and not _UNIT_AFTER.match(text, m.end())
            and _phone_cued(text, m.start(), m.end())
        ):
            yield m.start(), m.end()


def _street_words_ok(text: str, start: int, street: str) -> bool:
    """A street name starts with a capital, unless the writer uses none or has just said "address" or "lives"."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’.\-]*", street) if w.lower() not in _PARTICLES]
    if not words or words[0][0].isupper():
        return True
    before = text[max(0, start - 80) : start]
    return not any(c.isupper() for c in before) or bool(_ADDRESS_CUE.search(before[-40:]))


def _find_addresses(text: str) -> Iterator[tuple[int, int]]:
    for pattern in _ADDRESS_LOOSE:
        for m in pattern.finditer(text):
            if _street_words_ok(text, m.start(), re.split(r"[,\n]", m.group())[0]):
                yield m.start(), m.end()
    for pattern in _ADDRESS_STRICT:
        for m in pattern.finditer(text):
            yield m.start(), m.end()


def find_pii(text: str) -> list[PiiSpan]:
    """All personal data in ``text``: non-overlapping spans sorted by position."""
    candidates: list[tuple[str, int, int]] = [("EMAIL", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    finders = {
        "IBAN": _find_ibans,
        "CARD": _find_cards,
        "SSN": _find_ssns,
        "IP": _find_ips,
        "PHONE": _find_phones,
        "PHONE?": _find_cued_phones,
        "ADDRESS": _find_addresses,
    }
    for kind, finder in finders.items():
        candidates.extend((kind, start, end) for start, end in finder(text))
    # Highest priority first, then longest; keep each candidate that overlaps nothing kept so far.
    candidates.sort(key=lambda c: (-_PRIORITY[c[0]], c[1] - c[2], c[1]))
    starts: list[int] = []  # kept spans, ordered by start; disjoint, so only the neighbours can overlap
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in candidates:
        i = bisect.bisect_right(starts, start)
        if start >= end or (i > 0 and kept[i - 1][2] > start) or (i < len(kept) and kept[i][1] < end):
            continue
        starts.insert(i, start)
        kept.insert(i, (kind, start, end))
    return [PiiSpan(kind.rstrip("?"), start, end, text[start:end]) for kind, start, end in kept]


_PLACEHOLDER = re.compile(r"<([A-Z]+)_(\d+)>")


def redact(text: str, mapping: dict[str, str] | None = None) -> Redaction:
    """Replace each span with a typed placeholder, reusing those of ``mapping`` for values already seen."""
    merged = dict(mapping or {})
    by_value = {value: placeholder for placeholder, value in merged.items()}
    counters: dict[str, int] = {}
    for known in merged:
        if m := _PLACEHOLDER.fullmatch(known):
            counters[m.group(1)] = max(counters.get(m.group(1), 0), int(m.group(2)))
    # A placeholder-shaped string already in the text would be "restored" wrongly, so never hand it out.
    taken = set(_PLACEHOLDER.findall(text))

    spans = tuple(find_pii(text))
    parts: list[str] = []
    cursor = 0
    for span in spans:
        placeholder = by_value.get(span.text)
        if placeholder is None:
            n = counters.get(span.kind, 0) + 1
            while (span.kind, str(n)) in taken:
                n += 1
            counters[span.kind] = n
            placeholder = f"<{span.kind}_{n}>"
            merged[placeholder] = span.text
            by_value[span.text] = placeholder
        parts.append(text[cursor : span.start])
        parts.append(placeholder)
        cursor = span.end
    parts.append(text[cursor:])
    return Redaction(text="".join(parts), mapping=merged, spans=spans)


def restore(text: str, mapping: dict[str, str]) -> str:
    """Put the original values back; placeholders not in ``mapping`` are left as they are."""
    return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
