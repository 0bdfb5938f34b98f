# Source snapshots (docs/live-content.md): the shared document model, and the push of a
# snapshot change to the displays that show it (the real manager on loopback).
vt_unit_test(test_source SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_source.c ${CMAKE_CURRENT_LIST_DIR}/test_util.c LIBS vitrine)
add_executable(test_source_push ${CMAKE_CURRENT_LIST_DIR}/test_source_push.c)
target_link_libraries(test_source_push PRIVATE e2e_harness)
add_dependencies(test_source_push vitrine-manager)
add_test(NAME test_source_push COMMAND test_source_push 100 20)
set_tests_properties(test_source_push PROPERTIES LABELS unit TIMEOUT 180)
