# Writes the reports that the browser tests open, with the freshly built faultline:
#   default/report.html    `run --report`, a short run of the default scenario (its outage included)
#   database/report.html   `report results.json` of the database-failover scenario (the databases table)
#   hostile/report.html    `run --report` of a copy of small-2region whose name, client group and fault
#                          id are markup that would run script if it were not escaped
#   compare/, hostile-compare/report.html   `compare --report` of a study and of the hostile scenario
#   compare-12/report.html `compare --report` of tests/data/compare-12-strategies.json (twelve strategies:
#                          the report must stay within the page and label every bar)
#   replications/report.html  `report replications.json` of `run --seeds 3` of small-2region
#   fmea/report.html       `fmea --report --depth 2` of small-2region (fmea.html: the ranking, its two charts)
#   hostile-fmea/report.html  the same of the hostile scenario with a cluster named in markup too (every
#                          failure's target in it is markup)
#   cmake -DFAULTLINE=... -DSOURCE_DIR=... -DWORK_DIR=... -P make_reports.cmake
cmake_minimum_required(VERSION 3.25)

function(faultline)
  execute_process(COMMAND ${FAULTLINE} ${ARGN} WORKING_DIRECTORY ${SOURCE_DIR}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "faultline ${ARGN} failed (${status}):\n${out}${err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

faultline(run scenarios/gke-ambient-3region.json --duration 4m --quiet --report --out ${WORK_DIR}/default)

faultline(run scenarios/database-failover.json --duration 3m --quiet --out ${WORK_DIR}/database)
faultline(report ${WORK_DIR}/database/results.json --scenario scenarios/database-failover.json)

file(READ ${SOURCE_DIR}/scenarios/small-2region.json scenario)
set(replacements
  "\"name\": \"small-2region\"" "\"name\": \"</script><script>window.__pwned=1</script>\""
  "\"id\": \"a-down\"" "\"id\": \"<img src=x onerror=window.__pwned=2>\""
  "{ \"region\": \"region-a\", \"rate\"" "{ \"name\": \"<b onmouseover='window.__pwned=3'>a & \\\"b\\\"</b>\", \"region\": \"region-a\", \"rate\"")
while(replacements)
  list(POP_FRONT replacements from to)
  string(FIND "${scenario}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "make_reports.cmake: scenarios/small-2region.json no longer contains ${from}")
  endif()
  string(REPLACE "${from}" "${to}" scenario "${scenario}")
endwhile()
file(WRITE ${WORK_DIR}/hostile.json "${scenario}")
faultline(run ${WORK_DIR}/hostile.json --quiet --report --out ${WORK_DIR}/hostile)

# The comparison reports: an example study, and the hostile scenario's strategies (its name is markup).
faultline(compare scenarios/study-health-check-depth.json --seeds 3 --quiet --report --out ${WORK_DIR}/compare)
file(RENAME ${WORK_DIR}/compare/compare.html ${WORK_DIR}/compare/report.html)
faultline(compare ${WORK_DIR}/hostile.json --seeds 2 --quiet --report --out ${WORK_DIR}/hostile-compare)
file(RENAME ${WORK_DIR}/hostile-compare/compare.html ${WORK_DIR}/hostile-compare/report.html)
faultline(compare tests/data/compare-12-strategies.json --seeds 3 --quiet --report --out ${WORK_DIR}/compare-12)
file(RENAME ${WORK_DIR}/compare-12/compare.html ${WORK_DIR}/compare-12/report.html)

# The replications report: `run --seeds` writes replications.json, `report` renders it.
faultline(run scenarios/small-2region.json --seeds 3 --quiet --out ${WORK_DIR}/replications)
faultline(report ${WORK_DIR}/replications/replications.json)

# The failure-modes reports: small-2region with pairs, and the hostile scenario with its cluster's name
# made of markup too (it names most failures: the cluster, its nodes, its waypoint, its istiod).
faultline(fmea scenarios/small-2region.json --at 20s --for 20s --depth 2 --quiet --report --out ${WORK_DIR}/fmea)
file(RENAME ${WORK_DIR}/fmea/fmea.html ${WORK_DIR}/fmea/report.html)
string(REPLACE "\"name\": \"a1\"" "\"name\": \"<img src=x onerror=window.__pwned=4>\"" hostile_fmea "${scenario}")
if(hostile_fmea STREQUAL scenario)
  message(FATAL_ERROR "make_reports.cmake: scenarios/small-2region.json no longer names a cluster \"a1\"")
endif()
file(WRITE ${WORK_DIR}/hostile-fmea.json "${hostile_fmea}")
faultline(fmea ${WORK_DIR}/hostile-fmea.json --at 20s --for 20s --quiet --report --out ${WORK_DIR}/hostile-fmea)
file(RENAME ${WORK_DIR}/hostile-fmea/fmea.html ${WORK_DIR}/hostile-fmea/report.html)
