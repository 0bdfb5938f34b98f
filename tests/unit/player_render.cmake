# player/ rendering side: text layout (bidi run order, wrapping, alignment) with the real fonts.
vt_unit_test(test_text_layout SOURCES test_text_layout.c LIBS vitrine_player_core)
