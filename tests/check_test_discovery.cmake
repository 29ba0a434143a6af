# A ctest test that every Catch2 test case became a ctest test of its own. catch_discover_tests
# passes names through CMake lists, where ';' splits a name and an unbalanced '[' or ']' glues the
# following names together: such tests then silently never run. Fail loudly instead.
#   cmake -DTEST_BINARY=... -DDISCOVERED_FILE=... -P check_test_discovery.cmake
# Catch2 v2 exits with the number of test cases listed, so the exit code says nothing here.
execute_process(COMMAND "${TEST_BINARY}" --list-test-names-only OUTPUT_VARIABLE names)
string(REGEX MATCHALL "[^\n]+" lines "${names}")
foreach(line IN LISTS lines)
  if(line MATCHES "[][;\\\\]")
    message(FATAL_ERROR "test case name with a character ctest cannot carry ([, ], ; or \\): ${line}")
  endif()
endforeach()
list(LENGTH lines catch_count)
file(GLOB discovered "${DISCOVERED_FILE}")
if(NOT discovered)
  message(FATAL_ERROR "no discovered-tests file matches ${DISCOVERED_FILE}")
endif()
file(READ "${discovered}" content)
string(REGEX MATCHALL "add_test\\(" adds "${content}")
list(LENGTH adds ctest_count)
if(NOT catch_count EQUAL ctest_count)
  message(FATAL_ERROR "Catch2 has ${catch_count} test cases but ctest discovered ${ctest_count}")
endif()
message(STATUS "all ${catch_count} Catch2 test cases are ctest tests")
