# Consumer test driver, run in script mode:
#   cmake -DMODE=install|find_package|add_subdirectory -D... -P run.cmake
# Every step must succeed; the first failure ends the test with FATAL_ERROR.
#
# Variables: MODE, WORK_DIR (scratch folder, wiped first), PREFIX (install prefix),
# STEPSIM_BINARY_DIR (main build, for install), STEPSIM_SOURCE_DIR, CONSUMER_SOURCE_DIR,
# GENERATOR, MAKE_PROGRAM, CXX_COMPILER, BUILD_TYPE, SANITIZE; PROGRAM (what to run
# from the consumer's bin/, default stepsim_consumer).
cmake_minimum_required(VERSION 3.20)

foreach(var MODE WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: ${var} is not set")
  endif()
endforeach()

function(step name)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "[${MODE}] ${name}: ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[${MODE}] ${name} failed (${rc}): ${shown}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MODE STREQUAL "install")
  step(install "${CMAKE_COMMAND}" --install "${STEPSIM_BINARY_DIR}" --prefix "${PREFIX}" --config "${BUILD_TYPE}")
  if(NOT EXISTS "${PREFIX}/include/stepsim/sim/scheduler.hpp")
    message(FATAL_ERROR "[install] headers missing under ${PREFIX}/include")
  endif()
  file(GLOB_RECURSE configs "${PREFIX}/*/stepsimConfig.cmake")
  if(NOT configs)
    message(FATAL_ERROR "[install] stepsimConfig.cmake missing under ${PREFIX}")
  endif()
  return()
endif()

set(args -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DSTEPSIM_SANITIZE=${SANITIZE}")
if(MAKE_PROGRAM)
  list(APPEND args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()

if(MODE STREQUAL "find_package")
  # Only the install prefix; a stale package registry entry must not be picked up.
  list(APPEND args "-DCMAKE_PREFIX_PATH=${PREFIX}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND args "-DSTEPSIM_SOURCE=${STEPSIM_SOURCE_DIR}")
else()
  message(FATAL_ERROR "run.cmake: unknown MODE '${MODE}'")
endif()

step(configure "${CMAKE_COMMAND}" ${args})
step(build "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" --config "${BUILD_TYPE}")
if(NOT PROGRAM)
  set(PROGRAM stepsim_consumer)
endif()
step(run "${WORK_DIR}/build/bin/${PROGRAM}")
