from babelwire.stories.terms import story_terms


def test_names_and_numbers_are_terms_of_their_own() -> None:
    terms = story_terms(
        "", "An earthquake of magnitude 7.1 struck Chile on Tuesday. Officials in Santiago said 12 died."
    )
    assert terms["@chile"] > 0 and terms["@santiago"] > 0
    assert terms["#7.1"] > 0 and terms["#12"] > 0
    assert terms["earthqu"] > 0  # words are stemmed to a prefix


def test_function_words_and_sentence_initial_capitals_are_not_names() -> None:
    terms = story_terms("", "The minister resigned. Officials said the minister left.")
    assert "the" not in terms and "said" not in terms
    assert "@officials" not in terms and "@the" not in terms
    assert terms["ministe"] == 2


def test_the_title_counts_more_than_the_body() -> None:
    body_only = story_terms("", "Floods in Valencia")
    titled = story_terms("Floods in Valencia", "")
    assert titled["floods"] > body_only["floods"]


def test_a_translation_keeps_its_words_and_takes_names_and_numbers_from_its_source() -> None:
    translated = story_terms(
        "Lohan enters rehab",
        "Lindsay Lohan checked in to the Centre of Ford of Betty for ninety days.",
        ("Lohan entra en rehabilitación", "Lindsay Lohan ingresó en el centro Betty Ford por 90 días."),
    )
    assert translated["rehab"] > 0 and translated["checked"] > 0 and "ingresó" not in translated
    assert translated["@lohan"] > 0 and translated["@betty"] > 0 and translated["#90"] > 0
    assert "@centre" not in translated  # a name the translation made up
    assert story_terms("Lohan enters rehab", "") == story_terms("Lohan enters rehab", "", None)
