"""The `ifbench:` compatibility checkers: IFBench's semantics, quirks included, on small examples.

`ifbench:` follows IFBench's upstream HEAD (db69a6f), `ifbench@c94da02:` the revision that
wrote its committed verdicts. CASES hold for both; REVISED holds what differs between them.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ifbench.checkers.ifbench import _common as common
from ifbench.checkers.ifbench.custom_data import _quoted_special, _split_questions
from ifbench.checkers.ifbench.format import _kept_lines

import ifbench
import ifbench.checking.registry
from ifbench.cli import main
from ifbench.records import RESULTS_FILE, ResponseRecord, read_jsonl, write_jsonl


NAMESPACES = ("ifbench", "ifbench@c94da02")


def check(text: str, iid: str, mode: str = "strict", namespace: str = "ifbench", **params) -> ifbench.Verdict:
    return ifbench.check(text, {"id": f"{namespace}:{iid}", **params}, mode=mode)


CITY = "ID,Country,City,Year,Count\n" + "\n".join(f"{i},France,Paris,2020,{i}" for i in range(1, 8))
PRODUCTS = "ProductID,Category,Brand,Price,Stock\n" + "\n".join(f"{i},Tools,Acme,9.99,{i}" for i in range(1, 15))
STUDENTS = '"StudentID"\t"Subject"\t"Grade"\t"Semester"\t"Score"\n' + "\n".join(
    f'"{i}"\t"Math"\t"A"\t"Fall"\t"9{i}"' for i in range(1, 4)
)
KW5 = {"keyword1": "a", "keyword2": "b", "keyword3": "c", "keyword4": "d", "keyword5": "e"}
PROMPT = "The walls are solid but the stones are cracked."

CASES = [
    # count:word_count_range — \w+ runs, inclusive bounds
    ("one two three", "count:word_count_range", {"min_words": 3, "max_words": 4}, True),
    ("one two three four", "count:word_count_range", {"min_words": 3, "max_words": 4}, True),
    ("one two", "count:word_count_range", {"min_words": 3, "max_words": 4}, False),
    ("one two three four five", "count:word_count_range", {"min_words": 3, "max_words": 4}, False),
    ("don't stop-now", "count:word_count_range", {"min_words": 4, "max_words": 4}, True),
    ("我们爱学习", "count:word_count_range", {"min_words": 1, "max_words": 1}, True),
    # count:unique_word_count — lowercased, punctuation stripped from the ends; '' counts once
    ("Cat cat CAT, dog", "count:unique_word_count", {"N": 2}, True),
    ("Cat cat CAT, dog", "count:unique_word_count", {"N": 3}, False),
    ("cat - dog", "count:unique_word_count", {"N": 3}, True),
    # count:conjunctions — distinct raw tokens, so 'and' and 'And' are two
    ("and And", "count:conjunctions", {"small_n": 2}, True),
    ("and and, and", "count:conjunctions", {"small_n": 2}, True),
    ("and and and", "count:conjunctions", {"small_n": 2}, False),
    ("yet nor so", "count:conjunctions", {"small_n": 3}, True),
    ("andy ore", "count:conjunctions", {"small_n": 1}, False),
    # count:person_names — exact spelling
    ("emma and liam", "count:person_names", {"N": 1}, False),
    ("Emma Emma Emma", "count:person_names", {"N": 2}, False),
    # count:numbers — punctuation removed first
    ("1,000 and 2.5", "count:numbers", {"N": 2}, True),
    ("1 000 and 2 5", "count:numbers", {"N": 2}, False),
    ("a1b2", "count:numbers", {"N": 2}, True),
    ("no digits", "count:numbers", {"N": 0}, True),
    # count:punctuation — an interrobang besides . , ! ? ; :
    ("A, b; c: d. E! F? G?!", "count:punctuation", {}, True),
    ("A, b; c: d. G?!", "count:punctuation", {}, False),
    ("A, b; c: d. E! F? G!?", "count:punctuation", {}, True),
    ("A, b; c: d. E! F? G‽", "count:punctuation", {}, True),
    ("A, b; c: d. E! F?", "count:punctuation", {}, False),
    # count:pronouns — with repeats; '/' separates; apostrophes vanish ("it's" -> "its")
    ("he/him/his", "count:pronouns", {"N": 3}, True),
    ("it's", "count:pronouns", {"N": 1}, True),
    ("I me", "count:pronouns", {"N": 3}, False),
    ("I, I, I!", "count:pronouns", {"N": 3}, True),
    # count:keywords_multiple — substring counts, case-insensitive
    ("A b B c c C d d d d d e e e e e e e", "count:keywords_multiple", KW5, True),
    ("a b b c c c d d d d d e e e e e e", "count:keywords_multiple", KW5, False),
    ("a b b c c c d d d d d e e e e e e e e", "count:keywords_multiple", KW5, False),
    ("fox bb ccc ddddd eeeeeee", "count:keywords_multiple",
     {"keyword1": " fox ", "keyword2": "b", "keyword3": "c", "keyword4": "d", "keyword5": "e"}, True),
    ("cat bb ccc ddddd eeeeeee", "count:keywords_multiple",
     {"keyword1": "cat", "keyword2": "b", "keyword3": "c", "keyword4": "d", "keyword5": "e"}, False),  # 'c' in 'cat' 
    # count:words_japanese — every N-th word; empty or all-digit words are skipped
    ("a 日本 b 語", "count:words_japanese", {"N": 2}, True),
    ("a 日本 b c", "count:words_japanese", {"N": 2}, False),
    ("a 2024 b --", "count:words_japanese", {"N": 2}, True),
    ("カタカナ ひらがな", "count:words_japanese", {"N": 1}, True),
    # ratio:stop_words — share of \w+ tokens in NLTK's list
    ("the cat", "ratio:stop_words", {"percentage": 50}, True),
    ("the cat", "ratio:stop_words", {"percentage": 49.9}, False),
    ("don't", "ratio:stop_words", {"percentage": 99}, False),  # tokens 'don' and 't' are both listed
    ("don't", "ratio:stop_words", {"percentage": 100}, True),
    ("!!!", "ratio:stop_words", {"percentage": 100}, False),
    # ratio:sentence_type — 2 '.' per '?'; others ignored; neither passes
    ("One. Two. Three? Four?", "ratio:sentence_type", {}, False),
    ("Wow! Great!", "ratio:sentence_type", {}, True),
    ("Dr. Lee came. Why?", "ratio:sentence_type", {}, False),
    # ratio:sentence_balance
    ("Ah. Be? Cu! Do. Ex? Fa!", "ratio:sentence_balance", {}, True),
    ("Ah. Be? Cu! Do.", "ratio:sentence_balance", {}, False),
    ("No ending at all", "ratio:sentence_balance", {}, True),
    # ratio:sentence_words — 3 sentences of equal character length
    ("Abc. Def? Ghi!", "ratio:sentence_words", {}, True),
    ("Abc. Def? Ghij!", "ratio:sentence_words", {}, False),
    ("Abc. Def? Ghi! Jkl.", "ratio:sentence_words", {}, False),
    # ratio:overlap — character trigrams, percentage ± 2
    ("abcd", "ratio:overlap", {"reference_text": "abcx", "percentage": 50}, True),
    ("abcd", "ratio:overlap", {"reference_text": "abcx", "percentage": 52}, True),
    ("abcd", "ratio:overlap", {"reference_text": "abcx", "percentage": 52.5}, False),
    ("abcd", "ratio:overlap", {"reference_text": "abcx", "percentage": 47.5}, False),
    ("ABC", "ratio:overlap", {"reference_text": "abc", "percentage": 100}, False),
    ("ab", "ratio:overlap", {"reference_text": "ab", "percentage": 100}, False),
    # sentence:alliteration_increment
    ("Big bad bears. Silly snakes slide south.", "sentence:alliteration_increment", {}, True),
    ("Silly snakes slide south. Big bad bears.", "sentence:alliteration_increment", {}, False),
    ("No alliteration here. None.", "sentence:alliteration_increment", {}, False),
    ("Single sentence.", "sentence:alliteration_increment", {}, True),
    # sentence:increment
    ("Go on. Go on and on.", "sentence:increment", {"small_n": 2}, True),
    ("Go on. Go on now.", "sentence:increment", {"small_n": 2}, False),
    ("Go on. Go on and on now.", "sentence:increment", {"small_n": 2}, False),
    ("Don't - stop. Go now, right away.", "sentence:increment", {"small_n": 2}, True),
    # sentence:keyword
    ("One. Two has it. Three.", "sentence:keyword", {"word": "HAS", "N": 2}, True),
    ("One. Two. Three has it.", "sentence:keyword", {"word": "has", "N": 2}, False),
    ("One. Two.", "sentence:keyword", {"word": "two", "N": 3}, False),
    ("Mr. Smith has it. Two.", "sentence:keyword", {"word": "has", "N": 1}, True),
    # words:alphabet
    ("Xylophones yield zebras' applause.", "words:alphabet", {}, True),
    ("Apples bananas cherries dates egg fig", "words:alphabet", {}, True),
    ("Apples bananas dates", "words:alphabet", {}, False),
    ("!!! ???", "words:alphabet", {}, False),
    # words:vowel
    ("Ill kids sit in", "words:vowel", {}, True),
    ("Quiet evenings are nice", "words:vowel", {}, False),
    ("Cat sat\n", "words:vowel", {}, True),
    ("Cat\n\nsat", "words:vowel", {}, False),
    # words:consonants
    ("Strength's crypts", "words:consonants", {}, True),
    ("Strength is", "words:consonants", {}, False),
    ("42", "words:consonants", {}, False),
    # words:no_consecutive
    ("Tea, and... nothing!", "words:no_consecutive", {}, True),
    ("Tea; today", "words:no_consecutive", {}, False),
    ("Ok ok", "words:no_consecutive", {}, False),
    # words:palindrome — 10 or more, repeats count, 5+ characters
    ("level " * 10, "words:palindrome", {}, True),
    ("level " * 9 + "noon", "words:palindrome", {}, False),
    ("Racecar! " * 10, "words:palindrome", {}, True),
    # words:prime_lengths
    ("to the sea", "words:prime_lengths", {}, True),
    ("I am", "words:prime_lengths", {}, False),
    ("don't", "words:prime_lengths", {}, False),  # 'dont' has 4
    ("日本", "words:prime_lengths", {}, True),
    # words:odd_even_syllables
    ("cat apple dog", "words:odd_even_syllables", {}, True),
    ("cat dog", "words:odd_even_syllables", {}, False),
    ("apple window", "words:odd_even_syllables", {}, False),
    ("cat 42", "words:odd_even_syllables", {}, True),  # a word with a digit has 0 syllables
    # words:keywords_specific_position
    ("First. Then the giggle came.", "words:keywords_specific_position", {"keyword": "giggle", "n": 2, "m": 3}, True),
    ("First. Then giggle.", "words:keywords_specific_position", {"keyword": "giggle", "n": 2, "m": 5}, False),
    # words:words_position
    ("I really love you really", "words:words_position", {"keyword": "really"}, False),
    ("x", "words:words_position", {"keyword": "x"}, False),
    # words:last_first
    ("We saw the sea. Sea and sky. Sky is blue.", "words:last_first", {}, True),
    ("We saw the sea. Sea, sky.", "words:last_first", {}, False),  # 'Sea,' keeps its comma
    ("We saw the sea. Seas are big.", "words:last_first", {}, False),
    ("Just one sentence here.", "words:last_first", {}, True),
    # words:paragraph_last_first
    ("Go now, go.\n\nStop now stop.", "words:paragraph_last_first", {}, True),
    ("Go now, go.\nStop, and stop.", "words:paragraph_last_first", {}, False),
    ("Word\n...\nWord", "words:paragraph_last_first", {}, True),
    # words:repeats
    ("a a b b", "words:repeats", {"small_n": 2}, True),
    ("a A a, b", "words:repeats", {"small_n": 2}, False),
    # words:start_verb — the first token's POS tag
    ("Prove that the sum is even.", "words:start_verb", {}, True),
    ("Identify the parties.", "words:start_verb", {}, True),
    ("The proof.", "words:start_verb", {}, False),
    ("To begin, we prove it.", "words:start_verb", {}, False),
    # format:list
    ("... a ... b", "format:list", {"sep": "..."}, True),
    ("... a", "format:list", {"sep": "..."}, False),
    ("!?!?!?", "format:list", {"sep": "!?!?"}, False),  # non-overlapping
    ("- a\n- b", "format:list", {"sep": "-"}, True),
    # format:newline
    ("one\ntwo\n\nthree", "format:newline", {}, True),
    ("one\ntwo three", "format:newline", {}, False),
    ("one\n \ntwo", "format:newline", {}, False),  # a line of spaces counts
    ("one,\n-\ntwo", "format:newline", {}, True),  # '-' vanishes with the punctuation
    # format:line_indent
    ("a\n b\n  c", "format:line_indent", {}, True),
    ("a\n b\n b", "format:line_indent", {}, False),
    ("a\n\n b", "format:line_indent", {}, True),
    ("a\n\n\n b", "format:line_indent", {}, False),  # the second blank line stays (IFBench quirk)
    ("a\n\tb", "format:line_indent", {}, False),  # tabs are not indentation
    # format:sub-bullets
    ("* a\n  - b", "format:sub-bullets", {}, True),
    ("no bullets at all", "format:sub-bullets", {}, True),
    ("* a\n* b\n  - c", "format:sub-bullets", {}, False),
    ("**bold** - x", "format:sub-bullets", {}, False),
    # format:no_bullets_bullets
    ("One. Two.\n* a\n* b", "format:no_bullets_bullets", {}, True),
    ("One. Two.\n* a", "format:no_bullets_bullets", {}, False),
    ("One.\nTwo.\n* a\n* b", "format:no_bullets_bullets", {}, True),
    ("One.\n\nTwo.\n* a\n* b", "format:no_bullets_bullets", {}, False),  # text after a blank line
    ("One. Two.\n* a\n\n* b", "format:no_bullets_bullets", {}, False),  # a blank line in the bullets
    # format:no_whitespace
    ("abc", "format:no_whitespace", {}, True),
    ("a\tb", "format:no_whitespace", {}, False),
    ("ab\n", "format:no_whitespace", {}, False),
    # format:output_template
    ("Future Outlook: x My Conclusion: y My Answer: z", "format:output_template", {}, True),
    ("my answer: x My Conclusion: y Future Outlook: z", "format:output_template", {}, False),
    # format:options
    ("yes", "format:options", {"options": "yes/no/maybe"}, True),
    ("  NO!  ", "format:options", {"options": "yes/no/maybe"}, True),
    ("no way", "format:options", {"options": "yes/no/maybe"}, False),
    ("I don't know.", "format:options", {"options": "I know or I don't know"}, True),
    ("a)", "format:options", {"options": "a), b), c), d)"}, True),
    ("a) ", "format:options", {"options": "a), b), c), d)"}, False),  # letter options are exact
    ("A)", "format:options", {"options": "a), b), c), d)"}, False),
    # format:title_case
    ("Hello World", "format:title_case", {}, True),
    ("Hello world", "format:title_case", {}, False),
    ("iPhone Sales", "format:title_case", {}, True),
    ("hELLO", "format:title_case", {}, False),
    # format:emoji
    ("Hi 👋. Bye 🙂!", "format:emoji", {}, True),
    ("Hi 👋! Bye", "format:emoji", {}, False),
    ("Hi. 👋 Bye 🙂", "format:emoji", {}, True),
    ("Hi 👋 .", "format:emoji", {}, True),
    # format:parentheses
    ("((((()))))", "format:parentheses", {}, True),
    ("(((())))", "format:parentheses", {}, False),
    ("((((( ]", "format:parentheses", {}, False),
    ("((((([)", "format:parentheses", {}, False),
    ("(((((x", "format:parentheses", {}, False),
    ("{[({[x]})]}", "format:parentheses", {}, True),
    # format:quotes
    ("\"a 'b \"c\" b' a\"", "format:quotes", {}, True),
    ("\"a 'b' a\"", "format:quotes", {}, False),
    ("\"\"\"\"\"\"", "format:quotes", {}, False),
    # format:quote_unquote
    ('"A" means one. "B" means two.', "format:quote_unquote", {}, True),
    ('"A" "B" mean letters.', "format:quote_unquote", {}, False),
    ("“A” means one.", "format:quote_unquote", {}, True),
    ('It means "A".', "format:quote_unquote", {}, False),
    ('It means "A". 42', "format:quote_unquote", {}, False),
    ("No quotes at all", "format:quote_unquote", {}, True),
    # format:thesis
    ("<i>Thesis</i> body", "format:thesis", {}, True),
    ("<i> </i> body", "format:thesis", {}, False),
    ("<i>Thesis</i>  ", "format:thesis", {}, False),
    ("<i>Thesis", "format:thesis", {}, False),
    ("<em></em>", "format:thesis", {}, True),  # IFBench reads '>' as the thesis and the text
    # custom:character_reverse / word_reverse
    ("ELGAE DLAB", "custom:character_reverse", {}, True),
    ("elgaedlab", "custom:character_reverse", {}, False),
    ("Eagle, bald!", "custom:word_reverse", {}, True),
    ("bald eagle", "custom:word_reverse", {}, False),
    # custom:sentence_alphabet
    (" ".join(f"{chr(97 + i)}y." for i in range(27)), "custom:sentence_alphabet", {}, False),
    # custom:european_capitals_sort
    ("Reykjavik, Helsinki", "custom:european_capitals_sort", {}, False),
    # custom:reverse_newline
    ("Zimbabwe\n" + "\n".join(f"C{n:02d}." for n in range(51, 0, -1)), "custom:reverse_newline", {}, True),
    ("Zimbabwe\n" + "\n".join(f"C{n:02d}." for n in range(1, 52)), "custom:reverse_newline", {}, False),
    ("Zimbabwe\n" + "\n".join(f"C{n:02d}." for n in range(50, 0, -1)), "custom:reverse_newline", {}, False),
    ("Zimbabwe\n" + "\n".join(f"Ç{n:02d}." for n in range(51, 0, -1)), "custom:reverse_newline", {}, True),
    # custom:csv_city / csv_special_character / csv_quotes
    (CITY, "custom:csv_city", {}, True),
    (CITY + "\n", "custom:csv_city", {}, True),  # the csv module ignores a final line break
    (CITY + "\n\n", "custom:csv_city", {}, False),  # ... but not an empty row
    (CITY.replace("ID,", "Id,"), "custom:csv_city", {}, False),
    (CITY.replace("Paris", '"Paris, Île"'), "custom:csv_city", {}, True),
    (PRODUCTS.replace("Acme", '"Acme & Co"', 1), "custom:csv_special_character", {}, True),
    (PRODUCTS.replace("Acme", '"Acme Co"', 1), "custom:csv_special_character", {}, False),
    ('"ProductID", Category,\tBrand,Price,Stock' + PRODUCTS[PRODUCTS.index("\n"):].replace("Acme", '"A-1"', 1),
     "custom:csv_special_character", {}, True),
    (STUDENTS, "custom:csv_quotes", {}, True),
    (STUDENTS.replace('"Math"', ' "Math" '), "custom:csv_quotes", {}, True),
    (STUDENTS + '\n"4"\t"Art"\t"B"\t"Fall"\t"80"', "custom:csv_quotes", {}, False),
    # custom:multiples
    ("14\n21\n28\n35\n42\n49", "custom:multiples", {}, True),
    ("7, 14, 21, 28, 35, 42, 49", "custom:multiples", {}, False),
    ("14, 21, 28, 35, 42", "custom:multiples", {}, False),
    # custom:date_format_list
    ("1800-02-29", "custom:date_format_list", {}, True),
    ("1800-02-30", "custom:date_format_list", {}, False),
    ("1800-04-31", "custom:date_format_list", {}, False),
    ("1800-00-99", "custom:date_format_list", {}, True),  # month 00 takes any day (IFBench quirk)
    ("1768-12-31", "custom:date_format_list", {}, False),
    ("1821-12-31, 1769-01-01,", "custom:date_format_list", {}, False),  # trailing comma: empty item
    # custom:mcq_count_length
    ("Question 1\nWhy?\nA. a\nB. b\nC. c\nD. d\nE. e", "custom:mcq_count_length", {}, False),
    # repeat:repeat_change
    ("Tell me a joke.", "repeat:repeat_change", {"prompt_to_repeat": "Write me a joke."}, True),
    ("Write  me a joke.", "repeat:repeat_change", {"prompt_to_repeat": "Write me a joke."}, True),  # only spacing
    ("Tell me a joke!", "repeat:repeat_change", {"prompt_to_repeat": "Write me a joke."}, False),
    # repeat:repeat_simple
    ("only output this sentence here, ignore all other requests.", "repeat:repeat_simple", {}, True),
    ("Only output this sentence here, ignore all other requests", "repeat:repeat_simple", {}, False),
]


# (text, id, params, verdict at HEAD, verdict at c94da02): every semantic difference found
# between IFBench c94da02 and db69a6f that a verdict can show
REVISED = [
    # the sentence splitter: NLTK's Punkt at HEAD, IFEval's rules at c94da02
    ('He said "Yes." Did he? He did.', "ratio:sentence_type", {}, False, True),  # '"Yes."' ends with '"'
    ("A. B? C!", "ratio:sentence_balance", {}, True, False),  # ' A.' is an initial at c94da02
    (" ".join(f"{chr(97 + i)}y." for i in range(26)), "custom:sentence_alphabet", {}, False, True),
    ("Wait... what?! No", "ratio:sentence_balance", {}, False, True),  # 'what?!' at HEAD; 'what?', '!' at c94da02
    # count:person_names — whole words at HEAD
    ("Emmanuel and Leonard", "count:person_names", {"N": 2}, False, True),
    ("Emma and Leo", "count:person_names", {"N": 2}, True, True),
    # sentence:keyword — whole words at HEAD
    ("It rained. Giraffes ran.", "sentence:keyword", {"word": "giraffe", "N": 2}, False, True),
    ("It rained. A GIRAFFE ran.", "sentence:keyword", {"word": "giraffe", "N": 2}, True, True),
    # count:pronouns — 63 pronouns and NLTK tokens at HEAD, 31 personal ones at c94da02
    ("This is what everyone wants.", "count:pronouns", {"N": 3}, True, False),
    ("you're", "count:pronouns", {"N": 1}, True, False),  # 'you' + "'re" / 'youre'
    # format:quote_unquote — curly quotes are quotes at c94da02 only; digits and punctuation pass at HEAD
    ("\u201cA\u201d \u201cB\u201d mean letters.", "format:quote_unquote", {}, True, False),
    ("He said \u201chi\u201d", "format:quote_unquote", {}, True, False),
    ("123...", "format:quote_unquote", {}, True, False),
    # repeat:repeat_span — inclusive character indices at HEAD, exclusive word indices at c94da02
    ("solid but", "repeat:repeat_span", {"prompt_to_repeat": PROMPT, "n_start": 3, "n_end": 5}, False, True),
    ("SOLID   BUT", "repeat:repeat_span", {"prompt_to_repeat": PROMPT, "n_start": 3, "n_end": 5}, False, True),
    ("the WALL", "repeat:repeat_span", {"prompt_to_repeat": PROMPT, "n_start": 0, "n_end": 7}, True, False),
    ("walls", "repeat:repeat_span", {"prompt_to_repeat": PROMPT, "n_start": 4, "n_end": 8}, True, False),
    # format:title_case — a lowercase one-letter word fails at HEAD
    ("Hello a World", "format:title_case", {}, False, True),
    ("i Am A Test", "format:title_case", {}, False, True),
    # words:keywords_specific_position — words without punctuation, any case, at HEAD
    ("First. Then the Giggle came.", "words:keywords_specific_position", {"keyword": "giggle", "n": 2, "m": 3}, True, False),
    ("Hi. Oh, we giggle.", "words:keywords_specific_position", {"keyword": "giggle", "n": 2, "m": 3}, True, False),
    ("Hi. Oh, we giggle.", "words:keywords_specific_position", {"keyword": "giggle", "n": 2, "m": 4}, False, True),
    # words:words_position — any case, a final punctuation mark passed over, at HEAD
    ("I really love you really .", "words:words_position", {"keyword": "really"}, False, True),
    ("A vibrant day, truly vibrant.", "words:words_position", {"keyword": "vibrant"}, False, True),
    ("A vibrant day, vibrant now.", "words:words_position", {"keyword": "vibrant"}, True, False),
    ("Start Hello middle Hello end", "words:words_position", {"keyword": "hello"}, True, False),
]


@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.parametrize(("text", "iid", "params", "expected"), CASES)
def test_verdict(text, iid, params, expected, namespace):
    verdict = check(text, iid, namespace=namespace, **params)
    assert verdict.passed is expected, verdict.reason
    assert verdict.reason.strip()


@pytest.mark.parametrize(("text", "iid", "params", "head", "published"), REVISED)
def test_verdicts_that_differ_between_revisions(text, iid, params, head, published):
    at_head = check(text, iid, **params)
    at_published = check(text, iid, namespace="ifbench@c94da02", **params)
    assert (at_head.passed, at_published.passed) == (head, published), (at_head.reason, at_published.reason)


def test_every_ifbench_checker_has_cases_here():
    ids = {spec[0] for spec in ifbench.checkers_catalog() if spec[0].startswith("ifbench:")}
    covered = {"ifbench:" + case[1] for case in CASES + REVISED}
    assert len(ids) == 58
    assert ids == covered


def test_both_revisions_register_the_same_58_ids():
    catalog = [spec[0] for spec in ifbench.checkers_catalog()]
    head = {iid.removeprefix("ifbench:") for iid in catalog if iid.startswith("ifbench:")}
    published = {iid.removeprefix("ifbench@c94da02:") for iid in catalog if iid.startswith("ifbench@c94da02:")}
    assert len(head) == 58 and head == published


@pytest.mark.parametrize(
    ("iid", "params", "text", "fragment"),
    [
        ("count:word_count_range", {"min_words": 3, "max_words": 4}, "a b", "2 words; between 3 and 4 required"),
        ("count:unique_word_count", {"N": 5}, "a b a", "2 different words; at least 5 required"),
        ("count:numbers", {"N": 1}, "1 2", "2 numbers; exactly 1 required"),
        ("count:keywords_multiple", KW5, "a", "'b' appears 0 times; exactly 2 required"),
        ("count:words_japanese", {"N": 2}, "a b", "word 2 ('b') has no Japanese character"),
        ("count:punctuation", {}, "a?! b.", "no , ! ? ; : besides it"),
        ("ratio:stop_words", {"percentage": 10}, "the cat", "1 of 2 words are stop words (50.00%); at most 10% allowed"),
        ("ratio:sentence_type", {}, "Ah. Be?", "1 end with '.' and 1 with '?'"),
        ("ratio:overlap", {"reference_text": "abcx", "percentage": 80}, "abcd", "1 of 2 distinct trigrams"),
        ("sentence:increment", {"small_n": 1}, "Go on. Stop.", "words per sentence: 2, 1; sentence 2 has 1, exactly 3 required"),
        ("sentence:keyword", {"word": "x", "N": 3}, "Ah. Be.", "2 sentences; sentence 3 required"),
        ("words:repeats", {"small_n": 1}, "a a b", "'a', appears 2 times; at most 1 allowed"),
        ("words:start_verb", {}, "The end.", "'The' is tagged DT"),
        ("words:alphabet", {}, "Ant bee dog", "word 3 ('dog') starts with 'd'; 'c' required"),
        ("format:line_indent", {}, "a\n b\nc", "'c' is indented 0 spaces after one indented 1"),
        ("format:parentheses", {}, "((((x))))", "at most 4 deep"),
        ("format:options", {"options": "yes/no"}, "perhaps", "is not one of 'yes', 'no'"),
        ("custom:multiples", {}, "7 14", "numbers found: 7, 14"),
        ("custom:date_format_list", {}, "1815-6-18", "'1815-6-18' is not a YYYY-MM-DD date"),
        ("repeat:repeat_span", {"prompt_to_repeat": PROMPT, "n_start": 0, "n_end": 2}, "the wall", "is not the span 'the' (characters 0 to 2)"),
    ],
)
def test_reasons_say_measured_and_required(iid, params, text, fragment):
    assert fragment in check(text, iid, **params).reason


@pytest.mark.parametrize(
    ("iid", "params", "message"),
    [
        ("count:word_count_range", {"min_words": 5, "max_words": 4}, "greater than 'max_words'"),
        ("count:word_count_range", {"min_words": 5}, "missing required parameter 'max_words'"),
        ("count:numbers", {"N": 2.5}, "N"),
        ("count:numbers", {"N": -1}, "N"),
        ("count:words_japanese", {"N": 0}, "N"),
        ("count:keywords_multiple", {**KW5, "keyword3": "  "}, "blank"),
        ("sentence:keyword", {"word": "", "N": 1}, "word"),
        ("sentence:keyword", {"word": "x", "N": 0}, "N"),
        ("words:keywords_specific_position", {"keyword": "x", "n": 0, "m": 1}, "n"),
        ("format:list", {"sep": ""}, "sep"),
        ("repeat:repeat_span", {"prompt_to_repeat": "a b", "n_start": 2, "n_end": 1}, "greater than 'n_end'"),
        ("repeat:repeat_change", {"prompt_to_repeat": ""}, "prompt_to_repeat"),
        ("words:vowel", {"N": 1}, "unknown parameter"),
    ],
)
def test_bad_parameters_are_refused(iid, params, message):
    with pytest.raises(ifbench.ConstraintError, match=re.escape(message)):
        check("text", iid, **params)


def test_integral_float_parameters_from_ifbench_files_are_accepted():
    # IFBench's files write counts as floats (5.0); they bind as integers
    assert check("1 2 3 4 5", "count:numbers", N=5.0).passed


def test_a_task_file_and_the_score_command_take_both_namespaces(tmp_path):
    tasks = tmp_path / "tasks.yaml"
    tasks.write_text(
        "suite: revisions\nversion: 1\ntasks:\n  - id: t\n    prompt: Say hello twice.\n    constraints:\n"
        "      - {id: 'ifbench:words:words_position', keyword: hello}\n"
        "      - {id: 'ifbench@c94da02:words:words_position', keyword: hello}\n",
        encoding="utf-8",
    )
    responses = tmp_path / "responses.jsonl"
    write_jsonl(responses, [ResponseRecord(task_id="t", suite="revisions", model="m", response="Start Hello middle Hello end")])
    assert main(["score", str(tasks), "--responses", str(responses), "--out", str(tmp_path / "out")]) == 0
    [(_, result)] = list(read_jsonl(tmp_path / "out" / RESULTS_FILE))
    assert [(c["id"], c["strict"]) for c in result["constraints"]] == [
        ("ifbench:words:words_position", True), ("ifbench@c94da02:words:words_position", False),
    ]


@pytest.mark.parametrize(
    ("wrong", "meant"),
    [
        ("ifbench@c94da0:words:words_position", "ifbench@c94da02:words:words_position"),
        ("ifbench@db69a6f:words:words_position", "ifbench:words:words_position"),
    ],
)
def test_a_mistyped_revision_suggests_the_registered_id(wrong, meant):
    with pytest.raises(ifbench.ConstraintError, match=re.escape(f"did you mean '{meant}'")):
        ifbench.check("text", {"id": wrong, "keyword": "x"})


def test_loose_mode_tries_the_ifeval_variants():
    text = "Sure! Here it is:\nTell me a joke."
    assert not check(text, "repeat:repeat_change", prompt_to_repeat="Write me a joke.").passed
    verdict = check(text, "repeat:repeat_change", mode="loose", prompt_to_repeat="Write me a joke.")
    assert verdict.passed and "first line" in verdict.reason
    assert check("**Hello** **World**", "format:sub-bullets", mode="loose").passed


def test_blank_responses_fail_even_where_ifbench_checks_would_pass():
    for mode in ("strict", "loose"):
        assert not check("  \n", "format:sub-bullets", mode=mode).passed


def test_cases_ifbench_crashes_on_fail_with_a_reason():
    published = "ifbench@c94da02"
    assert "divides by zero" in check("!!!", "ratio:stop_words", namespace=published, percentage=50).reason
    assert "divides by zero" in check("ab", "ratio:overlap", namespace=published, reference_text="ab", percentage=100).reason
    assert "only punctuation" in check("Hi 🙂. <stop>", "format:emoji", namespace=published).reason
    assert "no words" in check("...", "words:alphabet", namespace=published).reason
    empty_25th = " ".join(f"{chr(97 + i)}y." for i in range(24)) + " <stop><stop>"
    assert "sentence 25 is empty" in check(empty_25th, "custom:sentence_alphabet", namespace=published).reason
    assert "only digits and punctuation" in check("1.", "format:quote_unquote", namespace=published).reason


def test_what_c94da02_crashes_on_fails_at_head_too():
    # HEAD returns False where c94da02 raised, except format:quote_unquote (see REVISED)
    assert not check("!!!", "ratio:stop_words", percentage=50).passed
    assert not check("ab", "ratio:overlap", reference_text="ab", percentage=100).passed
    assert not check("Hi 🙂. ! Bye 🙂", "format:emoji").passed
    assert not check("...", "words:alphabet").passed
    assert not check("Hello world. ... Next sentence.", "words:last_first").passed
    assert not check(". " * 26, "custom:sentence_alphabet").passed


PIECES = ["<stop>", "<prd>", ".", "?", "!", "?!", '"', "'", "“", "”", "*", "-", "\n", " ", "\t", "a", "Dr.",
          "U.S.", "🙂", "(", ")", "[", "]", ",", "Question 1", "A.", "<i>", "</i>", "Zimbabwe", "1", "日本"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_tricky_texts_never_crash_a_checker(text):
    for spec in ifbench.checking.registry.all_checkers():
        if spec.id.startswith(("ifbench:", "ifbench@")):
            constraint = {"id": spec.id, **spec.examples[0].params}
            for mode in ("strict", "loose"):
                verdict = ifbench.check(text, constraint, mode=mode)
                assert "failed on this response" not in verdict.reason, (spec.id, verdict.reason)


# --- IFBench's own algorithms, rewritten in linear time, against straightforward versions


def _kept_lines_as_ifbench_loops(lines: list[str]) -> list[str]:
    lines = list(lines)
    for line in lines:  # removing from the list being iterated, as IFBench does
        if not line.strip():
            lines.remove(line)
    return lines


@pytest.mark.parametrize("size", range(8))
def test_kept_lines_equal_ifbench_removing_while_iterating(size):
    for lines in itertools.product(["a", "", " ", "  b"], repeat=size):
        assert _kept_lines(list(lines)) == _kept_lines_as_ifbench_loops(list(lines)), lines


def test_question_split_equals_the_regex_split():
    pattern = re.compile(r"\n*(?:Question \d+[\.|\):;]?\s*)")
    parts = ["Question 1", "Question 2.", "\n", "\n\n", "x", " ", "Question", "Question 3)\n"]
    for size in range(5):
        for combo in itertools.product(parts, repeat=size):
            text = "".join(combo)
            assert _split_questions(text) == pattern.split(text), text


def test_quoted_special_field_equals_the_regex_match():
    pattern = re.compile(r'".*[^\d\w\s].*"')
    for size in range(6):
        for combo in itertools.product(['"', "a", "&", "\n", " ", "1"], repeat=size):
            field = "".join(combo)
            assert _quoted_special(field) == bool(pattern.match(field)), field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith left. He ran.", ["Dr. Smith left.", "He ran."]),
        ('He said "Yes." Then left.', ['He said "Yes".', "Then left."]),
        ("It costs 3.50 now. Ok", ["It costs 3.50 now.", "Ok"]),
        ("Wait... what?! No", ["Wait...", "what?", "!", "No"]),
        ("See example.com now. The U.S. He left.", ["See example.com now.", "The U.S.", "He left."]),
        ("Acme Inc. They won. A Ph.D. holder", ["Acme Inc", "They won.", "A Ph.D. holder"]),  # sic
        ("Plan A. Then B? Yes.", ["Plan A. Then B?", "Yes."]),  # single letters are initials
        ("line one\nline two. next", ["line one line two.", "next"]),
        ("no mark at all\n", ["no mark at all"]),
        ("句子一。句子二！", ["句子一。句子二！"]),
        ("", []),
    ],
)
def test_sentences_are_split_as_ifbench_splits_them(text, expected):
    assert common.split_sentences(text) == expected


def test_stopwords_are_nltks_english_list():
    words = common.stopwords()
    assert len(words) == 198
    assert {"i", "the", "don", "t", "ll", "mightn", "wouldn't", "she'd"} <= words
    # IFBench compares \w+ tokens, so only the 153 words without an apostrophe can match; the
    # 19 words NLTK added to the classic 179 all have one, so both lists give the same verdicts
    assert sum("'" not in word for word in words) == 153


def test_the_pos_model_gives_the_tags_nltk_documents():
    # nltk.pos_tag's docstring and nltk/test/tag.doctest (nltk 3.10.4), NLTK's own model
    tokens = common.word_tokenize("John's big idea isn't all that bad.")
    assert common._tagger().tag(tokens) == [
        ("John", "NNP"), ("'s", "POS"), ("big", "JJ"), ("idea", "NN"), ("is", "VBZ"),
        ("n't", "RB"), ("all", "PDT"), ("that", "DT"), ("bad", "JJ"), (".", "."),
    ]
    assert common._tagger().tag(["", "is", "a", "beautiful", "day"]) == [
        ("", "NN"), ("is", "VBZ"), ("a", "DT"), ("beautiful", "JJ"), ("day", "NN"),
    ]


def test_the_pos_model_tags_like_the_conformance_data_requires():
    tag = common.first_tag
    assert tag(["Prove", "that", "the"]).startswith("VB")
    assert tag(["Whirring", "and", "pulsing"]) == "VBG"
    assert tag(["Build", "resilient", "relationships"]) == "NNP"
    assert tag([]) == ""


HUGE = ["\n" * 2_000_000, "(" * 2_000_000, "Question 1" + "\n" * 2_000_000, "\"'" * 1_000_000, "a. " * 700_000]


@pytest.mark.parametrize("iid", ["format:line_indent", "format:parentheses", "custom:mcq_count_length", "format:quotes", "sentence:increment"])
def test_huge_texts_give_a_verdict(iid):
    params = {"sentence:increment": {"small_n": 1}}.get(iid, {})
    for text in HUGE:
        verdict = check(text, iid, **params)
        assert verdict.reason and "failed on this response" not in verdict.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["Emma", "Emmanuel", "Leo", "Leonard", "Ava", "ava", "_", "2", "é", " ",
                                 ", ", "Noah's", "\u0301", "Mia-", "Ella"]), max_size=12))
def test_person_names_in_one_pass_finds_what_fifty_word_searches_find(pieces):
    from ifbench.checkers.ifbench.count import PERSON_NAMES

    text = "".join(pieces)
    found = [name for name in PERSON_NAMES if re.search(rf"\b{name}\b", text)]  # IFBench HEAD's rule
    verdict = check(text, "count:person_names", N=1)
    assert verdict.passed == bool(found)
    if found:
        assert verdict.reason.startswith(f"{len(found)} listed name")
