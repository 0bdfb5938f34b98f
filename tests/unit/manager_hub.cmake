vt_unit_test(test_manager_hub SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_hub.c LIBS vitrine_manager_core)
