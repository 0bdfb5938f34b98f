vt_unit_test(test_manager_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_config.c LIBS vitrine_manager_core)
