vt_unit_test(test_manager_preview SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_preview.c ${CMAKE_CURRENT_LIST_DIR}/test_manager_util.c LIBS vitrine_manager_core)
# The timeline command is checked by running the real binary on the test's database.
target_compile_definitions(test_manager_preview PRIVATE VT_MANAGER_BIN="$<TARGET_FILE:vitrine-manager>")
add_dependencies(test_manager_preview vitrine-manager)
