# Feed parsing speed against Python's feedparser on the same corpus in the same run
# (tests/bench/feeds.c, feedparser_bench.py); a smoke run with 2 passes in the suite.
add_executable(feeds-bench ${CMAKE_CURRENT_LIST_DIR}/feeds.c)
target_link_libraries(feeds-bench PRIVATE vitrine_manager_core)
target_compile_definitions(feeds-bench PRIVATE
  VT_SHARED_TESTDATA_DIR="${CMAKE_SOURCE_DIR}/../shared/testdata"
  VT_FEEDPARSER_BENCH="${CMAKE_CURRENT_LIST_DIR}/feedparser_bench.py")
add_test(NAME bench_feeds_smoke COMMAND feeds-bench 2)
set_tests_properties(bench_feeds_smoke PROPERTIES LABELS bench TIMEOUT 300)
