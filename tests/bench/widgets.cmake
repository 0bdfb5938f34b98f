# The player's widgets on a 1920x1080 board, live and headless: CPU share and frame times,
# against every frame laid out anew (tests/bench/widgets.c). Smoke run: 2 s per mode.
add_executable(widgets-bench ${CMAKE_CURRENT_LIST_DIR}/widgets.c)
target_link_libraries(widgets-bench PRIVATE e2e_harness)
add_dependencies(widgets-bench vitrine-player)
add_test(NAME bench_widgets_smoke COMMAND widgets-bench 2)
set_tests_properties(bench_widgets_smoke PROPERTIES LABELS bench TIMEOUT 120)
