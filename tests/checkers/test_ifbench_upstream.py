"""IFBench's own expectations of its checkers hold for `ifbench:` (upstream HEAD).

The cases are those of `InstructionsTest` in allenai/IFBench `instructions_test.py`, in the
version that imports HEAD's package layout (`from ifbench import classic_instructions,
instructions`; the copy stored at commit 414a23c), written here as (id, params, text,
expected) rows. (Another stored copy, at 1d62c1d, still imports the old layout and adds six
tests, five of which HEAD's `instructions.py` fails: word-index repeat_span, whole-word
keywords_multiple, leading quotes in sentence_alphabet and words_position, unique words in
sentence_words; they describe code that is not HEAD's, so they are not ported.) Upstream labels some tests with ids its registry does not use
('keywords:conjunction_count', 'keywords:person_name', the multiples test as
'format:no_bullets_bullets'); the rows name the registered ids. Its `ClassicInstructionsTest`
covers Google's IFEval checkers, which are `ifeval:` here (tests/checkers/test_ifeval.py).

Each row calls the checker the way upstream's test calls `check_following`: directly, so an
empty response is judged by the checker itself (scoring fails blank responses before any
checker runs, as IFBench's evaluation_lib does).
"""

from __future__ import annotations

import pytest

import ifbench
from ifbench.checking.base import Context
from ifbench.checking.evaluate import bind

COUNTRIES = (
    "Zimbabwe\nZambia\nUganda\nTunisia\nTogo\nTanzania\nSudan\nSouth Sudan\nSouth Africa\nSomalia\n"
    "Sierra Leone\nSeychelles\nSenegal\nSão Tomé and Príncipe\nRwanda\nNigeria\nNiger\nNamibia\n"
    "Mozambique\nMorocco\nMauritius\nMauritania\nMali\nMalawi\nMadagascar\nLibya\nLiberia\nLesotho\n"
    "Kenya\nGuinea-Bissau\nGuinea\nGhana\nGabon\nEswatini\nEritrea\nEquatorial Guinea\nEgypt\n"
    "Djibouti\nCôte d'Ivoire\nCongo (Republic of the)\nCongo (Democratic Republic of the)\nComoros\n"
    "Chad\nCentral African Republic\nCape Verde (Cabo Verde)\nCameroon\nBurundi\nBurkina Faso\n"
    "Botswana\nBenin\nAngola\nAlgeria"
).split("\n")
SURE = "Sure! Here are the list of countries in Africa in reverse alphabetical order:\n"
ASCENDING = (
    "Algeria\nAngola\nBenin\nBotswana\nBurkina Faso\nBurundi\nCabo Verde (Cape Verde)\nCameroon\n"
    "Central African Republic\nChad\nComoros\nCongo (Democratic Republic of the)\nCongo (Republic of the)\n"
    "Côte d'Ivoire\nDjibouti\nEgypt\nEquatorial Guinea\nEritrea\nEswatini\nGabon\nGambia\nGhana\nGuinea\n"
    "Guinea-Bissau\nKenya\nLesotho\nLiberia\nLibya\nMadagascar\nMalawi\nMali\nMauritania\nMauritius\n"
    "Morocco\nMozambique\nNamibia\nNiger\nNigeria\nRwanda\nSão Tomé and Príncipe\nSenegal\nSeychelles\n"
    "Sierra Leone\nSomalia\nSouth Africa\nSouth Sudan\nSudan\nTanzania\nTogo\nTunisia\nUganda\nZambia\nZimbabwe"
)
ONE_LINE_COUNTRIES = (
    "Zimbabwe, Zambia, Uganda, Tunisia, Togo, Tanzania, Sudan,\n    South Sudan, South Africa, Somalia, "
    "Sierra Leone, Seychelles, Senegal, São Tomé and Príncipe, \n    Rwanda, Nigeria, Niger, Namibia, "
    "Mozambique, Morocco, Mauritius, Mauritania, Mali, Malawi, \n    Madagascar, Libya, Liberia, Lesotho, "
    "Kenya, Guinea-Bissau, Guinea, Ghana, Gabon, Eswatini, \n    Eritrea, Equatorial Guinea, Egypt, Djibouti, "
    "Côte d'Ivoire, Congo (Republic of the), Congo (Democratic Republic of the),\n       Comoros, Chad, "
    "Central African Republic, Cape Verde (Cabo Verde), \n      Cameroon, Burundi, Burkina Faso, Botswana, "
    "Benin, Angola, Algeria"
)

# The four questions of upstream's multiple-choice texts: (label, question, five options)
QUESTIONS = [
    ("(Easy - One Sentence)",
     "Which of the following art movements emerged during the early 20th century and is characterized by "
     "abstract, geometric forms and a rejection of traditional perspective?",
     ["Surrealism", "Cubism", "Impressionism", "Pop Art", "Romanticism"]),
    ("(Medium - Two Sentences)",
     "Which artist is most closely associated with the Surrealist movement, known for dreamlike imagery and "
     "iconic works like The Persistence of Memory? This movement explored themes of the unconscious mind and "
     "employed techniques such as automatism and juxtaposition.",
     ["Pablo Picasso", "Salvador Dalí", "Wassily Kandinsky", "Andy Warhol", "Jackson Pollock"]),
    ("(Hard - Three Sentences)",
     "The Bauhaus school, founded in 1919 in Weimar, Germany, played a pivotal role in shaping modern art, "
     "design, and architecture. Emphasizing functionality, the integration of technology, and minimalist "
     "aesthetics, its influence extended far beyond its closure by the Nazi regime in 1933. Who among the "
     "following was a director of the Bauhaus and contributed significantly to its development?",
     ["Walter Gropius", "Piet Mondrian", "Henri Matisse", "Diego Rivera", "Georgia O'Keeffe"]),
    ("(Advanced - Four Sentences)",
     "Abstract Expressionism, a post-World War II art movement centered in New York City, marked a shift in "
     "the global art scene from Europe to the United States. This movement is divided into two main styles: "
     "Action Painting, characterized by dynamic brushwork and spontaneous application of paint, and Color "
     "Field Painting, which emphasizes large areas of solid color. Which of the following artists is renowned "
     "for his contributions to Action Painting and is famous for his drip-painting technique, as seen in works "
     "such as No. 5, 1948? This artist's innovative approach redefined the canvas as an arena for physical "
     "engagement rather than mere representation.",
     ["Jackson Pollock", "Mark Rothko", "Willem de Kooning", "Claude Monet", "Marcel Duchamp"]),
]


def _question(number: int, header: str, options: int = 5, joiner: str = "\n") -> str:
    _, text, answers = QUESTIONS[number - 1]
    listed = "\n".join(f"{letter}) {answer}" for letter, answer in zip("ABCDE", answers[:options]))
    return f"{header}{joiner}{text}\n\n{listed}"


MCQ = "\n\n".join(_question(n, f"Question {n} {QUESTIONS[n - 1][0]}") for n in range(1, 5))
MCQ_NUMBERED = "\n\n".join(_question(n, f"{n}.", joiner=" ") for n in range(1, 5))
MCQ_THREE = "\n\n".join(_question(n, f"Question {n} {QUESTIONS[n - 1][0]}") for n in range(1, 4)) + "\n\n"
MCQ_FOUR_OPTIONS = "\n" + "\n\n".join(_question(n, f"Question {n} {QUESTIONS[n - 1][0]}", 4) for n in range(1, 5))
MCQ_SHRINKING = "\n\n".join(_question(n, f"Question {n} {QUESTIONS[n - 1][0]}") for n in range(4, 0, -1))

ALPHABET_STORY = """A long time ago. Bears ate honey. Cats danced. Dogs. enjoyed. food. Goats had igloos.
    Heathens roamed. Insects chirped. Jaguars leaped. Kangaroos munched. Lions napped. Monkeys played. Newts quivered.
    Ostriches ran. Penguins slid. Quokkas smiled. Rhinos trotted. Snakes undulated. Tigers watched. Unicorns pranced.
    Vultures waited. Walruses. xeroxed. Yaks yawned. Zebras zigzagged."""
CAPITALS = ("Reykjavík, Helsinki, Oslo, Tallinn, Stockholm, Riga, Moscow, Copenhagen, Vilnius, Minsk, Dublin, "
            "Berlin, Amsterdam, Warsaw, London, Brussels, Prague, Luxembourg, Paris, Vienna, Bratislava, Budapest, "
            "Vaduz, Chișinău, Bern, Ljubljana")
CITY_ROWS = ("1,USA,New York,2020,125\n2,Canada,Toronto,2019,87\n3,UK,London,2021,142\n4,Australia,Sydney,2022,95\n"
             "5,Germany,Berlin,2020,110\n6,Japan,Tokyo,2023,78\n7,India,Mumbai,2021,134")
PRODUCTS = ("ProductID,Category,Brand,Price,Stock\n1,Electronics,Samsung,599.99,120\n2,Appliances,Whirlpool,899.99,50\n"
            "3,Furniture,IKEA,299.99,200\n4,Clothing,Nike,79.99,500\n5,Electronics,Apple,1299.99,30\n"
            "6,Sports,Adidas,49.99,400\n7,Home Decor,{brand},99.99,150\n8,Books,Penguin,19.99,300\n"
            "9,Grocery,Whole Foods,15.99,1000\n10,Toys,Lego,59.99,250\n11,Beauty,L'Oréal,39.99,350\n"
            "12,Automotive,Goodyear,149.99,60\n13,Outdoor,Yeti,249.99,80\n14,Pet Supplies,Petco,29.99,200")
STUDENT_LINE = '"StudentID"\t "Subject"\t "Grade"\t "Semester"\t "Score"'
NEWLINE_PASSAGE = (
    "\"Here's the passage with each word on a new line, written in an informal tone using simple American "
    "language:\n\n\nHe's \na \nformer \nCIA \noperative \nwith \na \ncheckered \npast, \nhaving \nseen \nhis "
    "\nfair \nshare \nof \nhigh-stakes \nmissions \naround \nthe \nworld. \n\n\nNow, \nJohn \nW. \nCreasy "
    "\nlooks \nlike \na \nshell \nof \nhis \nformer \nself, \na \ntough \nbut \nbroken \nman \nwho's \nlost "
    "\nhis \nway.\n\n\nAfter \nhis \nonly \nsource \nof \nhope \ngets \nsnatched \naway \nfrom \nhim, \nhe's "
    "\nhell-bent \non \nleaving \na \ntrail \nof \ndestruction \nin \nhis \nwake, \ndetermined \nto \ntake "
    "\ndown \nwhoever \nwas \ninvolved.\n\n\nCreasy's \ngot \na \ndeadly \nset \nof \nskills, \nand \ndeath "
    "\nis \nhis \nart \nform. \nHe's \nabout \nto \ncreate \nhis \nmasterpiece."
)
NAMES_47 = ("Certainly! Here are 47 notable individuals Jackson, Olivia, Noah, Ava, Lucas, Isabella, Mason, Mia, "
            "Ethan, Charlotte, Alexander, Amelia, Benjamin, Harper, Leo, Zoe, Daniel, Chloe, Samuel, Lily, Matthew, "
            "Grace, Owen, Abigail, Gabriel, Ella, Jacob, Scarlett, Nathan, Victoria, Elijah, Layla, Nicholas, Audrey, "
            "David, Hannah, Christopher, Penelope, Thomas, Nora, Andrew, Aria, Joseph, Claire, Ryan, Stella, Jonathan")
DEEP_BRACKETS = (
    "You're referring to the Pannier-style (specifically, [with a curved or angled design {to guide or redirect "
    "movement}, [also known as a \"wing wall\" or \"deflector wall\"]), and [sometimes with a smooth or slippery "
    "surface {to prevent climbing}]) fence or barrier, such as those found at highway interchanges, railway "
    "stations, or other areas with high foot traffic). A Panmoonjum (more commonly spelled as \"Pannonian jump\" "
    "or simply \"panomjum\", but also known as a \"[type of] barrier system {with a curved or bent portion [to "
    "control the flow {of people or animals, [and prevent them from entering a restricted area {with a gate or "
    "other obstacle, [which may be closed or locked {to prevent unauthorized access}]}]}]}) is used instead of a "
    "fixed-distance fence for several reasons:"
)
DEEP_BRACKETS2 = (
    "owners, occupants, and assets [from various {types of threats, risks, or menaces, including {burglars [and "
    "other intruders, wild animals (and straying, or lost, pets [roaming {freely and unsupervised, unmonitored [in "
    "the area (and creating potential {problems or conflicts, through {damages, accidents, and unfortunate "
    "{incidents, such as (breakage [of personal {property, and harm [to individuals, pets, and wildlife [trapped, "
    "injured, or {lost, in [such [incidents]}}})}])}])}}]]]}])}]"
)
THESIS_EM = (
    "<em>\"Animal Farm\" and \"A Streetcar Named Desire\" both explore themes of power, class struggle, and the "
    "corrupting influence of authority, but they do so through distinct narrative styles and settings.</em>\n"
    "In \"Animal Farm,\" Orwell uses the allegory of a farm taken over by animals to critique the corrupting "
    "influence of power and the failure of communist ideals."
)
REQUEST = "Give me a summary of the book '1984' by George Orwell."

UPSTREAM = [
    # test_word_count_range_checker
    ("count:word_count_range", {"min_words": 5, "max_words": 5}, "\n    This message has five words.", True),
    ("count:word_count_range", {"min_words": 10, "max_words": 10},
     "\n    This message has exactly ten words in the entire text.", True),
    ("count:word_count_range", {"min_words": 20, "max_words": 20},
     "\n    This message has many more words than the previous messages because \n    we need to test the upper "
     "bounds of our word count range checker with \n    a sufficiently long piece of text.", False),
    # test_unique_word_count_checker, test_stop_word_ratio_checker
    ("count:unique_word_count", {"N": 5}, "\n    This message has five unique words.", True),
    ("ratio:stop_words", {"percentage": 50}, "\n    This message has a high stop word ratio.", True),
    # test_sentence_type_checker, test_sentence_balance_checker
    ("ratio:sentence_type", {}, "\n    This is a declarative sentence. Is this a question? I am not sure.", True),
    ("ratio:sentence_balance", {}, "\n        This is a declarative sentence. Is this a question? I am not sure!", True),
    # test_conj_count
    ("count:conjunctions", {"small_n": 3},
     "I don't like it but I will do it and I will do it well yet I will not like it.", True),
    # test_person_name
    ("count:person_names", {"N": 3}, "Abigail, Gabriel, Nora", True),
    ("count:person_names", {"N": 47}, NAMES_47, True),
    ("count:person_names", {"N": 47}, "Certainly! Here\u2019s a list of individuals: Audrey, Ben, Yanai, Ryan.", False),
    # test_ngram_overlap
    ("ratio:overlap", {"reference_text": "This is the test.", "percentage": 100}, "This is the test.", True),
    # test_numbers_count
    ("count:numbers", {"N": 3}, "This is 1 number. This is not 10 numbers. It is 3.", True),
    ("count:numbers", {"N": 3}, "Decimals like 3.14 should only count as one number 2.", False),
    ("count:numbers", {"N": 3}, "This is more than 3 numbers: 1 2 3.", False),
    ("count:numbers", {"N": 3}, "1 2 3", True),
    ("count:numbers", {"N": 1}, "This is one number: 100,000", True),
    ("count:numbers", {"N": 2}, "This is number 1. 2 comes next.", True),
    # test_alphabet
    ("words:alphabet", {}, "Be cause dandelions eat freedom.", True),
    ("words:alphabet", {}, "Zooming around back.", True),
    ("words:alphabet", {}, "A big cat. Dogs eat food. . . Good", True),
    ("words:alphabet", {}, "Your zoo is very xeric.", False),
    ("words:alphabet", {}, "Great finds enter dark caves.", False),
    # test_three_vowels
    ("words:vowel", {}, "With I this is in.", True),
    ("words:vowel", {}, "the eel eek eked.\nyeah.", False),
    ("words:vowel", {}, "the eel eek eked out.", True),
    # test_consonant_cluster
    ("words:consonants", {}, "This employs consonant clusters.", True),
    ("words:consonants", {}, "This does not.", False),
    ("words:consonants", {},
     "The Felicity Party espouses traditional, conservative principles alongside promoting Islamic pillars. "
     "Emphasizing morality, they uphold community interests, social-justice, and sustainable development. They "
     "support national sovereignty and independence economically.", False),
    # test_alliteration
    ("sentence:alliteration_increment", {},
     "No alliteration. Some semblance of alliteration. Alliterating across alphabet is interesting.", True),
    ("sentence:alliteration_increment", {},
     "No alliteration. Some semblance of alliteration. Alliterating across alphabet is interesting. But not here.",
     False),
    # test_palindrome
    ("words:palindrome", {}, "Racecar, radar, and level are palindromes. So are madam and civic. Three more include "
     "refer, tenet, and deified. The last two are repaper and reviver.", True),
    ("words:palindrome", {}, "Palindromes needn't be real words. " + ", ".join(["abcba"] * 10) + ".", True),
    ("words:palindrome", {}, "This is not a palindrome.", False),
    ("words:palindrome", {}, "Short palindromes don't count, though they make beautiful names. Ada, Eve, Bob, Nan, "
     "Otto, Ava, Pip, Elle, Ivi, Ana, and Asa.", False),
    ("words:palindrome", {}, "Racecar, radar, and level are palindromes. So are madam and civic. Three more include "
     "refer, tenet, and deified. The last one is repaper. There are only nine.", False),
    # test_punctuation
    ("count:punctuation", {}, "Some punctuation.,?!", False),
    ("count:punctuation", {}, "All the punctuation marks: . , ! ? ; : !?", True),
    # test_nested_parentheses
    ("format:parentheses", {}, "This (is [nested {very (deeply [here], yay!)}]).", True),
    ("format:parentheses", {}, "((()))", False),
    ("format:parentheses", {}, "Lots () of [] (parentheses()) but [not] (enough) [nesting]()()().", False),
    ("format:parentheses", {}, "I (wouldn't [technically) call] (this [nested) parentheses]. (More like [mismatched)].",
     False),
    ("format:parentheses", {}, DEEP_BRACKETS, True),
    ("format:parentheses", {}, DEEP_BRACKETS2, True),
    # test_nested_quotes
    ("format:quotes", {}, "These \"quotes 'are \"nested,\" here' a lot.\"", True),
    ("format:quotes", {}, "Let's hope it handles adjacent quotes well: \"'\"\"'\".", True),
    ("format:quotes", {}, "These quotes 'are \"not nested,\" here' enough.", False),
    ("format:quotes", {}, "Three levels but not three pairs: '\"'\"'.", False),
    ("format:quotes", {}, "Lots of \"quotes\" but not 'enough' \"nesting\".", False),
    # test_prime_lengths
    ("words:prime_lengths", {}, "Prime numbers are in.", True),
    ("words:prime_lengths", {}, "Composite numbers are not.", False),
    ("words:prime_lengths", {}, "aren't hy-phens?", True),
    # test_options
    ("format:options", {"options": "(A), (B), (C)"}, "A", False),
    ("format:options", {"options": "I know or I don't know"}, "I know", True),
    ("format:options", {"options": "I know or I don't know"}, "I don't know", True),
    ("format:options", {"options": "I know or I don't know"}, "Maybe", False),
    ("format:options", {"options": "I know or I don't know"}, "I know or I don't know", False),
    ("format:options", {"options": "yes/no/maybe"}, "yes", True),
    ("format:options", {"options": "yes/no/maybe"}, "no", True),
    ("format:options", {"options": "yes/no/maybe"}, "maybe", True),
    ("format:options", {"options": "yes/no/maybe"}, "yes/no", False),
    # test_newline
    ("format:newline", {}, "This\n is\non\na\nnew\nline.", True),
    ("format:newline", {}, "Extra\n newlines \n are \n allowed. \n", True),
    ("format:newline", {}, "hi . .\n                    new . .\n                    line ..", True),
    ("format:newline", {}, "This \n is \n not \n obeying \n the \n rules, unfortunately.", False),
    ("format:newline", {}, "This\nis\nnot\nobeying\nthe\nrules, unfortunately.", False),
    ("format:newline", {}, "Equal \n number \n \n of newlines \n to \n words \n but \n not \n \n obeying \n constraint.",
     False),
    ("format:newline", {}, NEWLINE_PASSAGE, False),
    # test_emoji
    ("format:emoji", {}, "This ends with emoji \U0001f600.", True),
    ("format:emoji", {}, "\U0001f600 This starts with emoji.", False),
    # test_char_count_sent
    ("ratio:sentence_words", {}, "This is one. Now it's 22. On to three.", True),
    ("ratio:sentence_words", {}, "This. Is. Not. Correct.", False),
    # test_verb_start: the first case is in test_upstream_start_verb_case below
    ("words:start_verb", {}, "This sentence does not start with a verb.", False),
    # test_word_repeats
    ("words:repeats", {"small_n": 2}, "This is one. This is two. This is three.", False),
    ("words:repeats", {"small_n": 3}, "This is one. This is two. This is three.", True),
    # test_keyword
    ("sentence:keyword", {"word": "it", "N": 5}, "I am it. It is me. I am not it. It is not me. I am not it.", True),
    ("sentence:keyword", {"word": "it", "N": 5}, "I am not it. It is not me.", False),
    # test_pronoun_count
    ("count:pronouns", {"N": 5}, "I am a pronoun. It is a pronoun. He, she, and they are pronouns.", True),
    ("count:pronouns", {"N": 5}, "She is his sister. They share their parents.", False),
    ("count:pronouns", {"N": 4}, "My pronouns are she/her/hers.", True),
    ("count:pronouns", {"N": 4}, "She is his sister. They share their parents.", True),
    # test_syllable_parity
    ("words:odd_even_syllables", {}, "Children have little to regret. They enjoy the sunshine.", True),
    ("words:odd_even_syllables", {}, "Children have little to regret. They enjoy the sunshine. But not the rain.", False),
    ("words:odd_even_syllables", {}, "Chil-dren have lit'tle to regret.", True),
    # test_last_first
    ("words:last_first", {}, "This feels unnatural. Unnatural is this test.", True),
    ("words:last_first", {}, "This must also work.\n\nWork across paragraphs.", True),
    ("words:last_first", {}, "This is not a success. This is a failure.", False),
    # test_paragraph_first_last
    ("words:paragraph_last_first", {}, "This paragraph started with this.\n\nAnother paragraph starts with another.", True),
    ("words:paragraph_last_first", {}, "This paragraph started with this. Another paragraph starts with another.", False),
    # test_words_increment
    ("sentence:increment", {"small_n": 2},
     "This has three. This sentence has 5 words. This sentence will have two more words.", True),
    ("sentence:increment", {"small_n": 2},
     "This has three. This sentence now has 6 words. This sentence has three more words, total is nine.", False),
    ("sentence:increment", {"small_n": 3},
     "This has three. This sentence has 5 words. This sentence will have two more words.", False),
    ("sentence:increment", {"small_n": 3},
     "This has three. This sentence now has 6 words. This sentence has three more words, total is nine.", True),
    # test_consecutive_letter
    ("words:no_consecutive", {}, "This shouldn't succeed.", False),
    ("words:no_consecutive", {}, "This words, though. ", True),
    # test_indent_stairs
    ("format:line_indent", {}, "  Two spaces. \n   Three spaces.\n    Four spaces. \n     Five spaces. \n      Six spaces.",
     True),
    ("format:line_indent", {}, "  Two spaces. \n   Three spaces.\n     Five spaces. \n    Four spaces.", False),
    # test_quote_unquote
    ("format:quote_unquote", {},
     "A phrase out of quotes. \"A phrase in quotes.\"\n\nAnother phrase out of quotes with an extra '\"'.", True),
    ("format:quote_unquote", {}, " \"Just a quoted phrase with no explanation.\" ", False),
    # test_special_bullet_points
    ("format:list", {"sep": "..."}, "Some explanation.\n ... A bullet point.\n ... Another bullet point.", True),
    ("format:list", {"sep": "..."}, "- Some explanation.\n - A bullet point.\n - Another bullet point", False),
    # test_thesis
    ("format:thesis", {}, "<i>\n  A thesis.\n</i>\nA paragraph", True),
    ("format:thesis", {}, THESIS_EM, True),
    # test_subbullet
    ("format:sub-bullets", {}, "Some sentence.\n  * A bullet.\n     - A sub-bullet.\n     - Another sub-bullet.", True),
    ("format:sub-bullets", {},
     "Some sentence.\n  * A bullet.\n  * Another bullet.\n    - Only one bullet has a sub bullet.\n    -There are two.",
     False),
    # test_some_bullet_points
    ("format:no_bullets_bullets", {},
     "This is a sentence. This is another sentence. This is a third sentence.\n  * A bullet.\n  * Another bullet.\n"
     "  * A third bullet.", True),
    ("format:no_bullets_bullets", {},
     "This is a sentence.\n  * A bullet.\n  * Another bullet.\n  * A third bullet.\n  * A fourth bullet.", False),
    ("format:no_bullets_bullets", {}, "This is a sentence. This is another sentence.\n  * A bullet.\n", False),
    # test_print_multiples
    ("custom:multiples", {}, "14 21 28 35 42 49", True),
    ("custom:multiples", {}, "Sure! Here it is: 14,21,28,35,42,49", True),
    ("custom:multiples", {}, "7 14 21 28 35 42 49", False),
    # test_multiple_choice
    ("custom:mcq_count_length", {}, MCQ, True),
    ("custom:mcq_count_length", {}, MCQ_NUMBERED, False),
    ("custom:mcq_count_length", {}, MCQ_THREE, False),
    ("custom:mcq_count_length", {}, MCQ_FOUR_OPTIONS, False),
    ("custom:mcq_count_length", {}, MCQ_SHRINKING, False),
    # test_reverse_newline
    ("custom:reverse_newline", {}, SURE + "\n".join(COUNTRIES), True),
    ("custom:reverse_newline", {}, SURE + "    " + "\n".join(COUNTRIES[:-3]), False),
    ("custom:reverse_newline", {}, ONE_LINE_COUNTRIES, False),
    ("custom:reverse_newline", {}, ASCENDING, False),
    # test_character_reverse_order
    ("custom:character_reverse", {}, ".su eht fo lobmys lanoitan eht si elgae dlab", True),
    ("custom:character_reverse", {}, "The bald eagle is the national bird of the US.", False),
    ("custom:character_reverse", {}, "yekurt", False),
    # test_word_reverse_order
    ("custom:word_reverse", {}, ".US the of bird national the is eagle bald The.", True),
    ("custom:word_reverse", {}, "The bald eagle is the national bird of the US.", False),
    ("custom:word_reverse", {}, "yekurt", False),
    # test_sentence_alphabet
    ("custom:sentence_alphabet", {}, ALPHABET_STORY, True),
    ("custom:sentence_alphabet", {}, "A long time ago. Bears ate honey. Cats danced. Dogs enjoyed food. Goats had igloos.",
     False),
    ("custom:sentence_alphabet", {},
     ALPHABET_STORY.replace("Dogs. enjoyed. food.", "Dogs enjoyed food.").replace("Walruses. xeroxed.", "Walruses xeroxed.")
     .replace("Snakes undulated", "Rhinos undulated"), False),
    # test_europe_capitals
    ("custom:european_capitals_sort", {}, CAPITALS + ", Zagreb", True),
    ("custom:european_capitals_sort", {}, "Zagreb, " + CAPITALS, False),
    ("custom:european_capitals_sort", {}, CAPITALS, False),
    # test_csv, test_csv_special_character, test_csv_quotes
    ("custom:csv_city", {}, "ID,Country,City,Year,Count\n" + CITY_ROWS, True),
    ("custom:csv_city", {}, "ID,Country,City,Year\n" + CITY_ROWS, False),
    ("custom:csv_special_character", {}, PRODUCTS.format(brand='"Pottery Barn, Inc."'), True),
    ("custom:csv_special_character", {}, PRODUCTS.format(brand='"Pottery Barn Inc"'), False),
    ("custom:csv_quotes", {}, "\n".join([STUDENT_LINE] * 4), True),
    ("custom:csv_quotes", {}, "\n".join([STUDENT_LINE.replace('"Subject"', "Subject")] + [STUDENT_LINE] * 3), False),
    # test_reverse_order (the date format list)
    ("custom:date_format_list", {}, "1796-07-05, 1800-12-31", True),
    ("custom:date_format_list", {}, "07-05-1796", False),
    # test_repeat_change_checker
    ("repeat:repeat_change", {"prompt_to_repeat": REQUEST}, "Provide me a summary of the book '1984' by George Orwell.",
     True),
    ("repeat:repeat_change", {"prompt_to_repeat": REQUEST}, REQUEST, False),
    # the tests of fixed crashes and case handling at the end of upstream's file
    ("custom:sentence_alphabet", {}, ". " * 25 + ".", False),
    ("words:last_first", {}, "Hello world. ... Next sentence.", False),
    ("format:title_case", {}, "I Am A Test", True),
    ("format:title_case", {}, "i Am A Test", False),
    ("format:title_case", {}, "Hello, World!", True),
    ("format:title_case", {}, "Test (With Parentheses)", True),
    ("format:title_case", {}, "Test 123 Numbers", True),
    ("ratio:overlap", {"reference_text": "This is a reference text.", "percentage": 50}, "Hi", False),
    ("ratio:overlap", {"reference_text": "This is a reference text.", "percentage": 50}, "", False),
    ("format:quote_unquote", {}, "123...", True),
    ("format:quote_unquote", {}, "", True),
    ("words:keywords_specific_position", {"keyword": "test", "n": 1, "m": 1}, "Test is here.", True),
    ("words:keywords_specific_position", {"keyword": "test", "n": 1, "m": 1}, "TEST is here.", True),
    ("words:keywords_specific_position", {"keyword": "test", "n": 1, "m": 1}, "test is here.", True),
    ("words:words_position", {"keyword": "hello"}, "Start Hello middle Hello end", True),
    ("words:words_position", {"keyword": "hello"}, "Start HELLO middle HELLO end", True),
    ("words:words_position", {"keyword": "hello"}, "Start hello middle hello end", True),
    ("ratio:stop_words", {"percentage": 50}, "", False),
    ("ratio:stop_words", {"percentage": 50}, "   ", False),
]


def follows(iid: str, params: dict, text: str, namespace: str = "ifbench") -> bool:
    """The checker's own verdict, as upstream's `check_following(text)`."""
    bound = bind({"id": f"{namespace}:{iid}", **params})
    return bound.checker(text, bound.params, Context()).passed


@pytest.mark.parametrize(("iid", "params", "text", "expected"), UPSTREAM)
def test_upstream_expectation_holds_at_head(iid, params, text, expected):
    assert follows(iid, params, text) is expected


def test_the_port_covers_every_checker_but_the_six_upstream_leaves_untested():
    catalog = {spec[0].removeprefix("ifbench:") for spec in ifbench.checkers_catalog() if spec[0].startswith("ifbench:")}
    untested = {"count:keywords_multiple", "count:words_japanese", "repeat:repeat_simple", "repeat:repeat_span",
                "format:output_template", "format:no_whitespace"}
    assert {row[0] for row in UPSTREAM} == catalog - untested


@pytest.mark.xfail(strict=True, reason="NLTK's English POS weights are not available offline; the model used "
                   "tags 'Does' NNS here, NLTK's VBZ (see words:start_verb's docstring)")
def test_upstream_start_verb_case():
    assert follows("words:start_verb", {}, "Does this sentence start with a verb?") is True


def test_the_multiple_choice_texts_are_upstreams():
    assert MCQ.startswith("Question 1 (Easy - One Sentence)\nWhich of the following art movements")
    assert MCQ_NUMBERED.startswith("1. Which of the following") and "\n\n2. Which artist" in MCQ_NUMBERED
    assert MCQ_THREE.endswith("E) Georgia O'Keeffe\n\n") and MCQ_FOUR_OPTIONS.startswith("\nQuestion 1")
    assert "E) " not in MCQ_FOUR_OPTIONS and MCQ_SHRINKING.startswith("Question 4 (Advanced - Four Sentences)")


# These expectations are met by HEAD only: the published revision fails them.
HEAD_ONLY = [
    ("format:title_case", {}, "i Am A Test", False),
    ("format:quote_unquote", {}, "123...", True),
    ("format:quote_unquote", {}, "", True),
    ("words:keywords_specific_position", {"keyword": "test", "n": 1, "m": 1}, "TEST is here.", True),
    ("words:words_position", {"keyword": "hello"}, "Start Hello middle Hello end", True),
]


@pytest.mark.parametrize(("iid", "params", "text", "expected"), HEAD_ONLY)
def test_upstream_fixes_are_absent_from_the_published_revision(iid, params, text, expected):
    assert follows(iid, params, text, namespace="ifbench@c94da02") is not expected
