# player/ locale formatting and the Solar Hijri calendar: pure functions, table-driven.
vt_unit_test(test_locale_fmt SOURCES test_locale_fmt.c LIBS vitrine_player_core)
vt_unit_test(test_jalali SOURCES test_jalali.c LIBS vitrine_player_core)
