# Included by cpack for each generator (CPACK_PROJECT_CONFIG_FILE).
if(CPACK_GENERATOR STREQUAL "DEB")
  # Each package's description (CPACK_DEBIAN_<COMPONENT>_DESCRIPTION) starts with
  # its own synopsis line. With a summary of its own, CPackDeb would put the
  # project's summary above both of them instead; the default summary is the one
  # it leaves alone.
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()
