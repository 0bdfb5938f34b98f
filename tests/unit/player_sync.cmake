# player/ sync side: SSE parser, cache, downloads, the sync state machine.
# Built from the sync sources directly rather than vitrine_player_core, so these tests need
# neither SDL nor the render files, and each test links only what it exercises.
set(vt_psync_dir ${CMAKE_CURRENT_LIST_DIR}/../../player)
set(vt_psync_net_sources ${vt_psync_dir}/download.c ${vt_psync_dir}/cache.c
    ${vt_psync_dir}/sources.c player_sync_stub.c)

vt_unit_test(test_sse SOURCES test_sse.c ${vt_psync_dir}/sse.c LIBS vitrine)
vt_unit_test(test_cache SOURCES test_cache.c ${vt_psync_dir}/cache.c ${vt_psync_dir}/sources.c
             LIBS vitrine)
vt_unit_test(test_download SOURCES test_download.c ${vt_psync_net_sources}
             LIBS vitrine PkgConfig::CURL Threads::Threads)
vt_unit_test(test_sync SOURCES test_sync.c ${vt_psync_dir}/sync.c ${vt_psync_dir}/sse.c
             ${vt_psync_net_sources} LIBS vitrine PkgConfig::CURL Threads::Threads)
foreach(t test_sse test_cache test_download test_sync)
  target_include_directories(${t} PRIVATE ${vt_psync_dir})
endforeach()
# Network tests bind 127.0.0.1 only; they wait on conditions with deadlines, never on sleeps.
set_tests_properties(test_download test_sync PROPERTIES TIMEOUT 120)
