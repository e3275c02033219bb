"""IFBench's custom checkers for structured answers: three CSV tables, a list of dates, multiple-choice questions."""

from __future__ import annotations

import csv
import io
import re

from ifbench.checkers.ifbench._common import NoParams, Unscorable, quote, scored

from ifbench.checkers.ifbench._revision import instruction
from ifbench.checking.base import Context, Example, Verdict, plural


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise Unscorable(f"not readable as CSV ({error}); IFBench's checker fails on it") from None


_CITY_HEADER = ["ID", "Country", "City", "Year", "Count"]
_CITY_CSV = "ID,Country,City,Year,Count\n" + "\n".join(f"{i},France,Paris,2020,{i * 10}" for i in range(1, 8))


@instruction(
    "custom:csv_city",
    NoParams,
    examples=[
        Example(_CITY_CSV, {}, True),
        Example("```csv\n" + _CITY_CSV + "\n```", {}, False),
        Example(_CITY_CSV.replace("France,Paris", "中国,北京"), {}, True),
        Example(_CITY_CSV.replace("Country", "国家"), {}, False),
    ],
)
@scored
def csv_city(response: str, params: NoParams, context: Context) -> Verdict:
    """The whole response is CSV: the header ID,Country,City,Year,Count and exactly 7 rows of 5 fields.

    As in IFBench, nothing else may be in the response (no code fence, no blank line) and
    the header must match exactly.
    """
    rows = _rows(response)
    if len(rows) != 8:
        return Verdict(passed=False, reason=f"{plural(len(rows), 'CSV row')}; a header and 7 rows required")
    if rows[0] != _CITY_HEADER:
        return Verdict(passed=False, reason=f"header {rows[0]!r:.80}; {_CITY_HEADER!r} required")
    for number, row in enumerate(rows[1:], 1):
        if len(row) != 5:
            return Verdict(passed=False, reason=f"row {number} has {plural(len(row), 'field')}; 5 required")
    return Verdict(passed=True, reason="header and 7 rows of 5 fields")


_PRODUCT_HEADER = re.compile(
    r'^(ProductID|"ProductID"),[ \t]*(Category|"Category"),[ \t]*(Brand|"Brand"),'
    r'[ \t]*(Price|"Price"),[ \t]*(Stock|"Stock")$'
)
_SPECIAL = re.compile(r"[^\d\w\s]")
_PRODUCT_CSV = "ProductID,Category,Brand,Price,Stock\n" + "\n".join(
    f"{i},Tools,Acme,{i}.99,{i * 3}" for i in range(1, 15)
)


def _quoted_special(field: str) -> bool:
    """`re.match(r'".*[^\\d\\w\\s].*"', field)` in linear time: a `"` first, then on the same line a
    character other than a digit, letter or space, then a later `"`."""
    if not field.startswith('"'):
        return False
    line = field.split("\n", 1)[0]
    last_quote = line.rfind('"')
    return last_quote > 1 and _SPECIAL.search(line, 1, last_quote) is not None


@instruction(
    "custom:csv_special_character",
    NoParams,
    examples=[
        Example(_PRODUCT_CSV.replace("Acme", '"Acme & Co"', 1), {}, True),
        Example(_PRODUCT_CSV, {}, False),
        Example(_PRODUCT_CSV.replace("Acme", '"极客@工具"', 1), {}, True),
        Example(_PRODUCT_CSV.replace("Acme", '"极客工具"', 1), {}, False),
    ],
)
@scored
def csv_special_character(response: str, params: NoParams, context: Context) -> Verdict:
    """CSV with the header ProductID,Category,Brand,Price,Stock, 14 rows of 5 fields, and a quoted field holding a special character.

    As IFBench reads it: the first line must be the header (names optionally quoted), the
    quotes around a field are kept as part of it, and a field counts once it starts with
    `"` and has a character other than a letter, digit or space before a later `"`. Rows
    after the first such field are not checked.
    """
    header = response.split("\n")[0].strip()
    if not _PRODUCT_HEADER.match(header):
        return Verdict(passed=False, reason=f"first line {quote(header, 50)}; the header ProductID,Category,Brand,Price,Stock required")
    rows = _rows(response.replace('"', '"""'))
    if len(rows) != 15:
        return Verdict(passed=False, reason=f"{plural(len(rows), 'CSV row')}; a header and 14 rows required")
    for number, row in enumerate(rows[1:], 1):
        if len(row) != 5:
            return Verdict(passed=False, reason=f"row {number} has {plural(len(row), 'field')}; 5 required")
        special = next((field for field in row if _quoted_special(field)), None)
        if special is not None:
            return Verdict(passed=True, reason=f"row {number} has the quoted field {quote(special, 40)}")
    return Verdict(passed=False, reason="no field in double quotes holds a special character; one required")


_STUDENT_HEADER = re.compile(
    r'^(StudentID|"StudentID")\t *(Subject|"Subject")\t *(Grade|"Grade")\t *(Semester|"Semester")\t *(Score|"Score")$'
)
_STUDENT_TSV = '"StudentID"\t"Subject"\t"Grade"\t"Semester"\t"Score"\n' + "\n".join(
    f'"{i}"\t"Math"\t"A"\t"Fall"\t"9{i}"' for i in range(1, 4)
)


@instruction(
    "custom:csv_quotes",
    NoParams,
    examples=[
        Example(_STUDENT_TSV, {}, True),
        Example(_STUDENT_TSV.replace('"Math"', "Math"), {}, False),
        Example(_STUDENT_TSV.replace('"Math"', '"数学"'), {}, True),
        Example(_STUDENT_TSV.replace("\t", ","), {}, False),
    ],
)
@scored
def csv_quotes(response: str, params: NoParams, context: Context) -> Verdict:
    """Tab-separated: the header StudentID, Subject, Grade, Semester, Score and exactly 3 rows, every field in double quotes.

    As in IFBench, the whole response must be the table, and the header's fields must be
    quoted too.
    """
    header = response.split("\n")[0].strip()
    if not _STUDENT_HEADER.match(header):
        return Verdict(
            passed=False,
            reason=f"first line {quote(header, 50)}; the tab-separated header StudentID, Subject, Grade, Semester, Score required",
        )
    rows = _rows(response.replace('"', '"""'), delimiter="\t")
    if len(rows) != 4:
        return Verdict(passed=False, reason=f"{plural(len(rows), 'row')}; a header and 3 rows required")
    for number, row in enumerate(rows):
        if len(row) != 5:
            return Verdict(passed=False, reason=f"row {number} has {plural(len(row), 'field')}; 5 required")
        for field in row:
            bare = field.strip()
            if not bare:
                raise Unscorable(f"row {number} has an empty field (IFBench's checker fails on it)")
            if not (bare[0] == '"' and bare[-1] == '"'):
                return Verdict(passed=False, reason=f"field {quote(bare, 30)} is not in double quotes; every field required to be")
    return Verdict(passed=True, reason="header and 3 rows, every field in double quotes")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAYS = {**dict.fromkeys((1, 3, 5, 7, 8, 10, 12), 31), **dict.fromkeys((4, 6, 9, 11), 30), 2: 29}


def _date_problem(date: str) -> str | None:
    if not _DATE.match(date):
        return "is not a YYYY-MM-DD date"
    year, month, day = (int(part) for part in date.split("-"))
    if not 1769 <= year <= 1821:
        return "has a year outside Napoleon's life (1769-1821)"
    if month > 12 or day > _DAYS.get(month, day):  # as in IFBench, month 00 takes any day
        return "is not a valid date"
    return None


@instruction(
    "custom:date_format_list",
    NoParams,
    examples=[
        Example("1796-04-12, 1805-12-02, 1815-06-18", {}, True),
        Example("1796-04-12, 1805-12-02, Waterloo", {}, False),
        Example("1805-12-02,1815-06-18", {}, True),
        Example("1805年12月2日, 1815-06-18", {}, False),
    ],
)
def date_format_list(response: str, params: NoParams, context: Context) -> Verdict:
    """The whole response is comma-separated YYYY-MM-DD dates with years 1769-1821 (Napoleon's battles).

    As in IFBench, a day 31 in a 30-day month or past 29 in February fails; which battles
    are listed is not checked.
    """
    dates = [date.strip() for date in response.strip().split(",")]
    for date in dates:
        problem = _date_problem(date)
        if problem:
            return Verdict(passed=False, reason=f"{quote(date, 30)} {problem}; comma-separated YYYY-MM-DD dates required")
    return Verdict(passed=True, reason=f"{plural(len(dates), 'date')} in YYYY-MM-DD form, all 1769-1821")


_QUESTION = re.compile(r"Question \d+[\.|\):;]?\s*")
_OPTION = re.compile(r"^[A-Ea-e][\.|\)]\s*\w+")


def _split_questions(text: str) -> list[str]:
    """`re.split(r"\\n*(?:Question \\d+[\\.|\\):;]?\\s*)", text)` in linear time: the newlines
    right before each label (back to the previous label's end) go with the separator."""
    pieces, position = [], 0
    for match in _QUESTION.finditer(text):
        start = match.start()
        while start > position and text[start - 1] == "\n":
            start -= 1
        pieces.append(text[position:start])
        position = match.end()
    pieces.append(text[position:])
    return pieces


def _question_length_and_options(question: str) -> tuple[int, int]:
    """(characters of the question text before its first option, number of option lines)."""
    text, options = [], 0
    for line in question.split("\n"):
        if _OPTION.match(line.strip()):
            options += 1
        elif not options:
            text.append(line.strip())
    return len("".join(" " + part for part in text).strip()), options


_MCQ = "\n".join(
    f"Question {n}: {'Which ' + 'very ' * n + 'art?'}\n" + "\n".join(f"{c}) Option {c}" for c in "ABCDE")
    for n in range(1, 5)
)


@instruction(
    "custom:mcq_count_length",
    NoParams,
    examples=[
        Example(_MCQ, {}, True),
        Example("Here are the questions.\n" + _MCQ, {}, False),
        Example(_MCQ.replace("Option", "选项"), {}, True),
        Example(_MCQ.replace("E) Option E", ""), {}, False),
    ],
)
def mcq_count_length(response: str, params: NoParams, context: Context) -> Verdict:
    """Exactly 4 questions labelled `Question N`, each with 5 options `A.`-`E.` (or `A)`), each question text longer than the one before.

    As in IFBench, the response must start with `Question`; a question's text is what
    comes before its first option line, and its length is counted in characters.
    """
    if not response.startswith("Question"):
        return Verdict(passed=False, reason="the response does not start with 'Question'; no text before the questions allowed")
    questions = [piece.strip() for piece in _split_questions(response) if piece.strip()]
    if len(questions) != 4:
        return Verdict(passed=False, reason=f"{plural(len(questions), 'question')}; exactly 4 required")
    lengths = []
    for number, question in enumerate(questions, 1):
        length, options = _question_length_and_options(question)
        if options != 5:
            return Verdict(passed=False, reason=f"question {number} has {plural(options, 'option')}; exactly 5 required")
        lengths.append(length)
    shown = ", ".join(map(str, lengths))
    return Verdict(
        passed=all(a < b for a, b in zip(lengths, lengths[1:])),
        reason=f"question texts of {shown} characters; each longer than the one before required",
    )
