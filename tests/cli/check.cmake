# Runs one command and checks what it did (CMake script mode, used by CTest):
#
#   cmake -DEXIT=<code> [-DSTDOUT=<golden file>] [-DSTDERR=<golden file>]
#         [-DSTDOUT_MATCH=<regex>] [-DSTDERR_MATCH=<regex>] [-DSTDERR_LINES=<n>]
#         [-DWORKING_DIRECTORY=<dir>] [-DSTDIN=<file>] -P check.cmake -- <command> <args>...
#
# STDOUT / STDERR compare the whole stream with a golden file, byte for byte.
# With the environment variable STEPSIM_UPDATE_GOLDEN=1 the golden files are
# rewritten from the actual output instead (then review the diff).
cmake_minimum_required(VERSION 3.20)

set(command)
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "check.cmake: no command after --")
endif()
if(NOT DEFINED EXIT)
  message(FATAL_ERROR "check.cmake: -DEXIT=<expected exit code> is required")
endif()
if(NOT WORKING_DIRECTORY)
  set(WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endif()

set(stdin_option)
if(DEFINED STDIN)
  set(stdin_option INPUT_FILE ${STDIN})
endif()
execute_process(COMMAND ${command}
  WORKING_DIRECTORY ${WORKING_DIRECTORY}
  ${stdin_option}
  RESULT_VARIABLE code
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

set(problems "")
if(NOT code STREQUAL EXIT)
  string(APPEND problems "exit code: expected ${EXIT}, got ${code}\n")
endif()

function(compare stream actual golden)
  if("$ENV{STEPSIM_UPDATE_GOLDEN}")
    file(WRITE ${golden} "${actual}")
    message(STATUS "updated ${golden}")
    return()
  endif()
  if(NOT EXISTS ${golden})
    set(problems "${problems}${stream}: golden file ${golden} is missing\n" PARENT_SCOPE)
    return()
  endif()
  file(READ ${golden} expected)
  if(NOT actual STREQUAL expected)
    set(problems "${problems}${stream} differs from ${golden}\n--- expected\n${expected}\n--- actual\n${actual}\n"
      PARENT_SCOPE)
  endif()
endfunction()

if(DEFINED STDOUT)
  compare(stdout "${out}" ${STDOUT})
endif()
if(DEFINED STDERR)
  compare(stderr "${err}" ${STDERR})
endif()
if(DEFINED STDOUT_MATCH AND NOT out MATCHES "${STDOUT_MATCH}")
  string(APPEND problems "stdout does not match /${STDOUT_MATCH}/:\n${out}\n")
endif()
if(DEFINED STDERR_MATCH AND NOT err MATCHES "${STDERR_MATCH}")
  string(APPEND problems "stderr does not match /${STDERR_MATCH}/:\n${err}\n")
endif()
if(DEFINED STDERR_LINES)
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines n)
  if(NOT n EQUAL STDERR_LINES OR NOT err MATCHES "\n$")
    string(APPEND problems "stderr: expected ${STDERR_LINES} line(s), got:\n${err}\n")
  endif()
endif()

if(problems)
  list(JOIN command " " shown)
  message(FATAL_ERROR "${shown}\n${problems}")
endif()
