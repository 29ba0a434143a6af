# CTest: `faultline schema` prints a JSON Schema that every shipped scenario (and the test
# scenarios) validates against, and that rejects scenarios the readers reject for their shape.
#   cmake -DFAULTLINE=... -DPYTHON=... -DSOURCE_DIR=... -DWORK_DIR=... -P check_schema.cmake
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(COMMAND "${FAULTLINE}" schema OUTPUT_FILE "${WORK_DIR}/scenario.schema.json" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "faultline schema exited with ${status}")
endif()
file(GLOB valid "${SOURCE_DIR}/scenarios/*.json" "${SOURCE_DIR}/tests/data/*.json" "${SOURCE_DIR}/tests/data/*.yaml")
execute_process(COMMAND "${PYTHON}" "${SOURCE_DIR}/tests/schema/check_scenarios.py" "${WORK_DIR}/scenario.schema.json" ${valid}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "a scenario does not validate against the schema (see above)")
endif()
set(invalid bad_duration_unit bare_number_duration several_problems fault_process_targets)
list(TRANSFORM invalid PREPEND "${SOURCE_DIR}/tests/data/bad_scenarios/")
list(TRANSFORM invalid APPEND ".json")
execute_process(COMMAND "${PYTHON}" "${SOURCE_DIR}/tests/schema/check_scenarios.py" --expect-invalid
                        "${WORK_DIR}/scenario.schema.json" ${invalid}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the schema accepts a scenario it should reject (see above)")
endif()
