# VspListed.cmake — sources are listed by name in the CMakeLists.txt files,
# never globbed, so that what is built and tested is what a reader sees
# there.  vsp_require_listed() makes the other half of that promise: a file
# on disk that matches one of the patterns but is not in the list stops the
# configure with its name and where to add it, instead of being left out of
# the build (a dead source) or out of ctest (a test that never runs).
#
#   vsp_require_listed(WHAT <description> WHERE <file to edit>
#                      LISTED <absolute paths...> PATTERNS <globs...>)
#   vsp_require_listed(WHAT <description> WHERE <file to edit>
#                      DIR <folder> SUFFIX <.c|.sh|...> NAMES <names...>)
#
# The second form lists DIR/<name><SUFFIX> for each name against
# DIR/*<SUFFIX>.
#
# The globs are CONFIGURE_DEPENDS, so a file added later makes the next
# `cmake --build` re-run the configure and fail there.
function(vsp_require_listed)
  cmake_parse_arguments(arg "" "WHAT;WHERE;DIR;SUFFIX" "LISTED;PATTERNS;NAMES" ${ARGN})
  if(arg_DIR)
    foreach(n IN LISTS arg_NAMES)
      list(APPEND arg_LISTED "${arg_DIR}/${n}${arg_SUFFIX}")
    endforeach()
    list(APPEND arg_PATTERNS "${arg_DIR}/*${arg_SUFFIX}")
  endif()
  file(GLOB found CONFIGURE_DEPENDS ${arg_PATTERNS})
  set(unlisted "")
  foreach(f IN LISTS found)
    if(NOT f IN_LIST arg_LISTED)
      file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${f}")
      string(APPEND unlisted "\n  ${rel}")
    endif()
  endforeach()
  foreach(f IN LISTS arg_LISTED)
    if(NOT EXISTS "${f}")
      file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${f}")
      message(FATAL_ERROR "${arg_WHAT}: ${rel} is listed in ${arg_WHERE} but does not exist; "
        "remove it from the list or restore the file.")
    endif()
  endforeach()
  if(unlisted)
    message(FATAL_ERROR "${arg_WHAT}: these files are not listed in ${arg_WHERE}:${unlisted}\n"
      "Add each to its list there (or delete it): an unlisted file would be "
      "silently left out of the build or the test suite.")
  endif()
endfunction()

# vsp_prefix(<out-var> <dir> <names...>) — <dir>/<name> for each name.
function(vsp_prefix out dir)
  set(r "")
  foreach(n IN LISTS ARGN)
    list(APPEND r "${dir}/${n}")
  endforeach()
  set(${out} "${r}" PARENT_SCOPE)
endfunction()
