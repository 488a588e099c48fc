# The Debian package: `cpack -G DEB` in the build directory (after the
# normal build) makes permit-bot_VERSION_ARCH.deb. What it installs:
#   /usr/bin/permit-bot, permit-botctl, permit-dialog
#   /usr/share/permit-bot/scripts/        the default dialog scripts (seed an empty store)
#   /usr/share/permit-bot/console/        the console's built files, when the build has them
#   /usr/share/permit-bot/permit-bot.env  the secrets file's template
#   /etc/permit-bot/permit-bot.json       the config (a conffile)
#   /lib/systemd/system/permit-bot.service
# The maintainer scripts beside this file create the system user and the
# secrets file (/etc/permit-bot/permit-bot.env, 0640 root:permit-bot), and
# take both away on purge. tests/package/deb_test.sh checks all of it.

set(PERMIT_PACKAGE_DIR ${CMAKE_CURRENT_LIST_DIR})

install(TARGETS permit-bot permit-botctl permit-dialog RUNTIME DESTINATION bin)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/dialogs/scripts/ DESTINATION share/permit-bot/scripts)
# The console is built into the build directory's console-www/ (console/
# CMakeLists.txt); the installed bot finds it in share/permit-bot/console
# (handlers/console_files.cpp). A build without it makes a package without it.
install(DIRECTORY ${PROJECT_BINARY_DIR}/console-www/ DESTINATION share/permit-bot/console OPTIONAL)
install(FILES ${PERMIT_PACKAGE_DIR}/permit-bot.env DESTINATION share/permit-bot PERMISSIONS OWNER_READ GROUP_READ WORLD_READ)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/README.md DESTINATION share/doc/permit-bot)
install(FILES ${PERMIT_PACKAGE_DIR}/permit-bot.json DESTINATION /etc/permit-bot)
install(FILES ${PERMIT_PACKAGE_DIR}/permit-bot.service DESTINATION /lib/systemd/system)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME permit-bot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "permit-bot maintainers <permit-bot@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "chat bot that guides international students through residence permits")
set(CPACK_PACKAGE_DESCRIPTION
    "The webhook of a WeChat Official Account, the staff and admin API and console,\nand the sender of late replies, reminders and broadcasts. State lives in Redis\n(a single server, or a primary with replicas under Redis Sentinel).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Libraries by dpkg-shlibdeps; what the maintainer scripts call, by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, init-system-helpers")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-sentinel")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PERMIT_PACKAGE_DIR}/conffiles ${PERMIT_PACKAGE_DIR}/postinst ${PERMIT_PACKAGE_DIR}/prerm ${PERMIT_PACKAGE_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
