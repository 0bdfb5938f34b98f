# The hostile loopback server is shared by every test of code that fetches from outside.
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
add_library(hostile_server STATIC ${CMAKE_CURRENT_LIST_DIR}/hostile_server.c)
target_include_directories(hostile_server PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(hostile_server PUBLIC PkgConfig::MHD PkgConfig::ZLIB Threads::Threads)
vt_unit_test(test_manager_http_fetch SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_manager_http_fetch.c
  LIBS vitrine_manager_core hostile_server)
