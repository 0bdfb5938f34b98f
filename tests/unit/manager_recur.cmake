vt_unit_test(test_manager_recur SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_recur.c LIBS vitrine_manager_core)
set_tests_properties(test_manager_recur PROPERTIES TIMEOUT 600)
