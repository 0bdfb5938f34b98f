# The feed parser (issue 5): the corpus of 197 real feeds against their expected output, and
# focused cases including `vitrine-manager feed check` run as the real binary.
vt_unit_test(test_feed_corpus
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_feed_corpus.c ${CMAKE_CURRENT_LIST_DIR}/test_util.c
  LIBS vitrine_manager_core)
vt_unit_test(test_feed_parse SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_feed_parse.c
  LIBS vitrine_manager_core run_cmd hostile_server)
target_compile_definitions(test_feed_parse PRIVATE VT_MANAGER_BIN="$<TARGET_FILE:vitrine-manager>")
add_dependencies(test_feed_parse vitrine-manager)
set_tests_properties(test_feed_corpus test_feed_parse PROPERTIES TIMEOUT 300)
