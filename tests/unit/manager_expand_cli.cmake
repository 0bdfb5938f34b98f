# `vitrine-manager schedule expand` run as the real binary.
# run_cmd: a program run to completion with its output, shared by the command tests.
add_library(run_cmd STATIC ${CMAKE_CURRENT_LIST_DIR}/run_cmd.c)
target_include_directories(run_cmd PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(run_cmd PUBLIC vitrine)
vt_unit_test(test_expand_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_expand_cli.c LIBS run_cmd)
target_compile_definitions(test_expand_cli PRIVATE VT_MANAGER_BIN="$<TARGET_FILE:vitrine-manager>")
add_dependencies(test_expand_cli vitrine-manager)
