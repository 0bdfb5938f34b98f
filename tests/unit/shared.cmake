# shared/ (libvitrine): manifest, timeline, time, JSON helpers.
vt_unit_test(test_manifest SOURCES test_manifest.c test_util.c LIBS vitrine)
vt_unit_test(test_timeline SOURCES test_timeline.c test_util.c LIBS vitrine)
vt_unit_test(test_timeutil SOURCES test_timeutil.c LIBS vitrine)
vt_unit_test(test_buf SOURCES test_buf.c LIBS vitrine)
