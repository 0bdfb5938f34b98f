# `vitrine-manager schedule expand` run as the real binary.
vt_unit_test(test_expand_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_expand_cli.c LIBS vitrine)
target_compile_definitions(test_expand_cli PRIVATE VT_MANAGER_BIN="$<TARGET_FILE:vitrine-manager>")
add_dependencies(test_expand_cli vitrine-manager)
