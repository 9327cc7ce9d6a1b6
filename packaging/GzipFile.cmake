# cmake -DGZIP=gzip -DIN=FILE -DOUT=FILE.gz -P GzipFile.cmake
# Compresses IN into OUT with maximum compression and without the file's name and
# time stamp (gzip -9n), so that the result depends on the content only.
foreach(var IN ITEMS GZIP IN OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "GzipFile.cmake: -D${var}=... is missing")
  endif()
endforeach()
get_filename_component(out_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${out_dir}")
execute_process(COMMAND "${GZIP}" -9n -c "${IN}"
                OUTPUT_FILE "${OUT}.tmp"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "gzip -9n -c ${IN} failed: ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
