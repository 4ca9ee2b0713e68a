from stocktake.analysis import text


def test_stemmer_joins_word_families():
    assert {text.stem(w) for w in ("redeployed", "redeployment", "redeploying")} == {"redeploy"}
    assert text.stem("services") == text.stem("service")
    assert text.stem("nurses") == text.stem("nurse")
    assert text.stem("communities") == text.stem("community")
    assert text.stem("homes") == text.stem("home")
    assert text.stem("improved") == text.stem("improving") == text.stem("improve")


def test_abbreviations_are_case_sensitive_and_expanded():
    toks = text.tokens("PPE for GPs; IT kit")
    assert "protectiv" in toks and "equip" in toks
    assert "digital" in toks
    assert "digital" not in text.tokens("it was fine")


def test_synonyms_meet_in_one_vocabulary():
    assert set(text.tokens("patients on the virtual ward")) & set(text.tokens("remote monitoring"))
    assert "wellb" in text.tokens("staff well-being")


def test_bigrams_do_not_cross_into_expansions():
    grams = text.analyse("Extra PPE")
    assert "extra ppe" in grams
    assert not any(g.startswith("ppe ") for g in grams)
