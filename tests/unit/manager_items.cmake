vt_unit_test(test_manager_items SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_items.c LIBS vitrine_manager_core)
