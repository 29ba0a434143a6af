# Determinism across build types: the faultline of this build (Debug, in CI) and the one of another
# build (Release) answer the same questions with byte-identical files. Floating point is not
# reassociated or contracted (-ffp-contract=off, no -ffast-math) and no unordered iteration feeds
# a result, so optimisation levels must not change a single byte.
#   cmake -DFAULTLINE=... -DREFERENCE=... -DSOURCE_DIR=... -DWORK_DIR=... -P compare_builds.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK_DIR})

# Runs `faultline ARGN --out WORK_DIR/<build>/<name>` with both binaries.
function(both name)
  foreach(build this reference)
    set(binary ${FAULTLINE})
    if(build STREQUAL "reference")
      set(binary ${REFERENCE})
    endif()
    execute_process(COMMAND ${binary} ${ARGN} --quiet --out ${WORK_DIR}/${build}/${name} WORKING_DIRECTORY ${SOURCE_DIR}
                    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "${binary} ${ARGN} failed (${status}):\n${out}${err}")
    endif()
  endforeach()
endfunction()

both(default run scenarios/gke-ambient-3region.json --duration 4m --report)
both(database run scenarios/database-failover.json --seeds 3 --jobs 2 --duration 3m)
both(compare compare scenarios/study-health-check-depth.json --seeds 2 --jobs 2 --duration 2m)

set(compared 0)
file(GLOB_RECURSE files RELATIVE ${WORK_DIR}/this ${WORK_DIR}/this/*)
list(SORT files)
foreach(file IN LISTS files)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/this/${file} ${WORK_DIR}/reference/${file}
                  RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "${file} differs between ${FAULTLINE} and ${REFERENCE}")
  endif()
  math(EXPR compared "${compared} + 1")
endforeach()
file(GLOB_RECURSE reference_files RELATIVE ${WORK_DIR}/reference ${WORK_DIR}/reference/*)
list(LENGTH reference_files reference_count)
if(NOT compared EQUAL reference_count OR compared LESS 5)
  message(FATAL_ERROR "expected the same 5 or more files from both builds, found ${compared} and ${reference_count}")
endif()
message(STATUS "${compared} files byte-identical: ${files}")
