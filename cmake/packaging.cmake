# Installation (`cmake --install BUILD [--prefix DIR]`) and the Debian package
# (`cpack -G DEB` in the build directory). Installs bin/lbcheck, the man page
# lbcheck(1) (docs/lbcheck.1, compressed as Debian wants) and the README and rule
# docs under share/doc/lbcheck/. scripts/test-deb.sh tests both.
include(GNUInstallDirs)

install(TARGETS lbcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

find_program(LBCHECK_GZIP gzip REQUIRED)
set(LBCHECK_MAN_GZ ${CMAKE_BINARY_DIR}/lbcheck.1.gz)
add_custom_command(
  OUTPUT ${LBCHECK_MAN_GZ}
  COMMAND sh -c "${LBCHECK_GZIP} -9 -n -c \"$0\" > \"$1\"" ${CMAKE_SOURCE_DIR}/docs/lbcheck.1 ${LBCHECK_MAN_GZ}
  DEPENDS ${CMAKE_SOURCE_DIR}/docs/lbcheck.1
  COMMENT "Compressing the man page"
  VERBATIM)
add_custom_target(lbcheck_man ALL DEPENDS ${LBCHECK_MAN_GZ})
install(FILES ${LBCHECK_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# LBCHECK_RULE_DOCS: rules/<area>/<ID>-<name>.md, the same files `lbcheck explain` prints.
install(FILES ${LBCHECK_RULE_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules)

if(PROJECT_IS_TOP_LEVEL)
  set(LBCHECK_DEB_MAINTAINER "lbcheck developers <lbcheck@example.invalid>"
      CACHE STRING "Maintainer field of the Debian package")
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME lbcheck)
  set(CPACK_PACKAGE_VENDOR lbcheck)
  set(CPACK_PACKAGE_CONTACT "${LBCHECK_DEB_MAINTAINER}")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "static linter for Google Cloud load-balancer configuration")
  set(CPACK_PACKAGE_DESCRIPTION
      "lbcheck reads Terraform plans and source, gcloud exports, Config Connector manifests, \
Cloud Asset Inventory exports and gcloud scripts into one resource graph and checks the \
regional internal Application Load Balancer -> serverless NEG -> Cloud Run chain. Findings \
point at the exact line and column, in text, JSON or SARIF.")
  set(CPACK_STRIP_FILES ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LBCHECK_DEB_MAINTAINER}")
  set(CPACK_DEBIAN_PACKAGE_SECTION devel)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  # dpkg-shlibdeps (package dpkg-dev) fills Depends from the libraries the binary
  # links: libc (re2, yaml-cpp, libstdc++ and libgcc are linked statically, and
  # libsimdjson only into the tests).
  # Graphviz is loaded when the HTML report is drawn, so shlibdeps cannot see it:
  # its package is named from the soname found at configure time (libgvc.so.6 ->
  # libgvc6).
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  string(REGEX REPLACE "^lib(.*)\\.so\\.([0-9]+)$" "lib\\1\\2" gvc_package "${LBCHECK_SONAME_gvc}")
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${gvc_package}")
  include(CPack)
endif()
