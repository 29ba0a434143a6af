# Golden results: one shipped scenario's faultline command, rerun, must write a file whose SHA-256
# is the one recorded in tests/data/golden_digests.txt. Any change of behaviour, however small
# (one event more, one draw from a stream in another order), changes the digest.
#   cmake -DFAULTLINE=... -DSOURCE_DIR=... -DWORK_DIR=... -DCOMMAND="run scenarios/x.json"
#         -DOUTPUT=results.json -DEXPECTED=<sha256> -P golden_results.cmake
# With -DEXPECTED= (empty) it prints the line to record instead of checking (see update_golden.cmake).
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK_DIR})
separate_arguments(args UNIX_COMMAND "${COMMAND}")
execute_process(COMMAND ${FAULTLINE} ${args} --quiet --out ${WORK_DIR} WORKING_DIRECTORY ${SOURCE_DIR}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "faultline ${COMMAND} failed (${status}):\n${out}${err}")
endif()
file(SHA256 ${WORK_DIR}/${OUTPUT} found)
file(REMOVE_RECURSE ${WORK_DIR})
if(NOT EXPECTED)
  message("${COMMAND} | ${OUTPUT} | ${found}")
elseif(NOT found STREQUAL EXPECTED)
  message(FATAL_ERROR "faultline ${COMMAND}: ${OUTPUT} changed.\n  recorded: ${EXPECTED}\n  found:    ${found}\n"
                      "If the change of behaviour is on purpose, record the new digest in tests/data/golden_digests.txt "
                      "(cmake -DFAULTLINE=build/faultline -P tests/golden/update_golden.cmake) and say why in the commit.")
endif()
