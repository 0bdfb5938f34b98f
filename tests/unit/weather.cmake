# weather.c and currency.c on ../shared/testdata/{weather,currency}; `weather check` and
# `currency check` as the real binary, with a loopback HTTP server for the URL form.
vt_unit_test(test_weather SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_weather.c
  ${CMAKE_CURRENT_LIST_DIR}/test_util.c LIBS vitrine_manager_core)
target_compile_definitions(test_weather PRIVATE VT_ASSETS_DIR="${CMAKE_SOURCE_DIR}/assets")
vt_unit_test(test_currency SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_currency.c
  ${CMAKE_CURRENT_LIST_DIR}/test_util.c LIBS vitrine_manager_core)
vt_unit_test(test_weather_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_weather_cli.c
  LIBS run_cmd hostile_server vitrine_manager_core)
target_compile_definitions(test_weather_cli PRIVATE VT_MANAGER_BIN="$<TARGET_FILE:vitrine-manager>")
add_dependencies(test_weather_cli vitrine-manager)
