vt_unit_test(test_manager_router SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_router.c LIBS vitrine_manager_core)
