# XlsxSharedMinizip.cmake — does the libxlsxwriter found by pkg-config call
# minizip in a shared library, where reports/xlsx_deflate.c can interpose
# it?  True when the library is a shared object that lists libminizip among
# its NEEDED libraries and imports (undefined, to be bound at run time)
# zipOpenNewFileInZip4_64, zipWriteInFileInZip and zipCloseFileInZip.  A
# static libxlsxwriter, or one built with its bundled minizip, binds those
# calls inside itself, and interposing them would do nothing (or worse).
#
#   vsp_xlsx_shared_minizip(<ok-var> <why-var>)
function(vsp_xlsx_shared_minizip ok_var why_var)
  set(${ok_var} FALSE PARENT_SCOPE)
  set(lib "")
  foreach(l IN LISTS XLSXWRITER_LINK_LIBRARIES)
    if(l MATCHES "xlsxwriter")
      set(lib "${l}")
    endif()
  endforeach()
  if(NOT lib)
    set(${why_var} "pkg-config names no libxlsxwriter file (${XLSXWRITER_LINK_LIBRARIES})" PARENT_SCOPE)
    return()
  endif()
  if(NOT lib MATCHES "\\.so(\\.[0-9]+)*$")
    set(${why_var} "${lib} is not a shared library" PARENT_SCOPE)
    return()
  endif()
  set(readelf "${CMAKE_READELF}")
  if(NOT readelf)
    find_program(VSP_READELF readelf)
    set(readelf "${VSP_READELF}")
  endif()
  if(NOT readelf)
    set(${why_var} "no readelf to read ${lib}'s dynamic section" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND "${readelf}" -d -W "${lib}" OUTPUT_VARIABLE dyn
                  RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR NOT dyn MATCHES "\\(NEEDED\\)[^\n]*\\[libminizip\\.so")
    set(${why_var} "${lib} does not link libminizip as a shared library (no NEEDED libminizip)"
        PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND "${readelf}" --dyn-syms -W "${lib}" OUTPUT_VARIABLE syms
                  RESULT_VARIABLE rc ERROR_QUIET)
  foreach(fn zipOpenNewFileInZip4_64 zipWriteInFileInZip zipCloseFileInZip)
    if(NOT rc EQUAL 0 OR NOT syms MATCHES "UND ${fn}(@[^\n]*)?\n")
      set(${why_var} "${lib} does not import ${fn} from minizip" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${ok_var} TRUE PARENT_SCOPE)
  set(${why_var} "${lib} calls the shared libminizip" PARENT_SCOPE)
endfunction()
