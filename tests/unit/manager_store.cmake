vt_unit_test(test_manager_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_store.c ${CMAKE_CURRENT_LIST_DIR}/test_manager_util.c LIBS vitrine_manager_core)
